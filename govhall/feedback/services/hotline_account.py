"""The 12345 hotline platform's own account (issue 15 item 4).

Entry point:
def hotline_account_set(*, actor, center) -> User

The hotline posts work orders with an API token of its own account: the user named by
`GOVHALL_HOTLINE_USERNAME`, with a staff record at the center that receives the orders and no
role (govhall/feedback/access/work_orders.py), so its token can post orders and record return
visits of that center's subtree and nothing else. The staff service makes only accounts with a
role, so this is the one way to make (or move) the hotline account. It never has a password:
it signs in only with its token (`govhall api_token create --user <name> --name 12345`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import refusal_error
from govhall.feedback.events import FeedbackEvent
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Staff

HOTLINE_FULL_NAME = "12345政务服务便民热线平台"
HOTLINE_TITLE = "热线平台接口账号"


@transaction.atomic
def hotline_account_set(*, actor: User | None, center: Center) -> User:
    """Make the hotline account receive the orders of `center` (created on first use, its staff
    record moved on later calls). `actor` None is the command line; a person must manage the
    center. Refused when the name belongs to someone who is not the hotline account."""
    if actor is not None and not manages_center(actor, center.pk):
        raise refusal_error(_("Only a hall manager of the center may do this."))
    username = str(settings.GOVHALL_HOTLINE_USERNAME or "")
    if not username:
        raise ValidationError(_("GOVHALL_HOTLINE_USERNAME is empty: there is no hotline account."))
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(username=username, full_name=HOTLINE_FULL_NAME)
    elif user.groups.exists() or user.is_superuser:
        raise ValidationError(
            _("The user %(name)s holds roles: it cannot be the hotline's account.")
            % {"name": username}
        )
    staff = Staff.objects.filter(user=user).first()
    previous = staff.center_id if staff is not None else None
    if staff is None:
        Staff.objects.create(user=user, center=center, title=HOTLINE_TITLE)
    elif staff.center_id != center.pk:
        staff.center = center
        staff.save(update_fields=["center", "updated_at"])
    if created or previous != center.pk:
        record_event(
            actor=actor,
            action=FeedbackEvent.HOTLINE_ACCOUNT_SET,
            obj=user,
            center_id=center.pk,
            data={"username": username, "center": center.pk, "previous_center": previous},
        )
    return user
