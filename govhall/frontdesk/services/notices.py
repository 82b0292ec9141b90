"""Hall notices (公告: policies, 便民措施; issue 18 item 5): a center's managers write them; the
portal's disclosure page lists and the display board's ticker scrolls the ones shown now
(`govhall.frontdesk.queries.notices`). Only managers of the notice's center (or a center above
it) write; every write records an event."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import HallNotice
from govhall.frontdesk.models.notices import NOTICE_BODY_MAX, NOTICE_TITLE_MAX
from govhall.frontdesk.services.standing import require_manager
from govhall.org.models import Center

POSITION_MAX = 999


def _clean(
    *,
    title: object,
    body: object,
    starts_at: object,
    ends_at: object,
    is_published: object,
    position: object,
) -> dict[str, Any]:
    errors = FieldErrors()
    values: dict[str, Any] = {
        "title": errors.text(
            "title", title, max_length=NOTICE_TITLE_MAX, required=_("Enter a title.")
        ),
        "body": errors.text("body", body, max_length=NOTICE_BODY_MAX),
        "position": errors.whole_number("position", position, minimum=0, maximum=POSITION_MAX) or 0,
        "is_published": bool(is_published),
    }
    if not isinstance(starts_at, datetime.datetime):
        errors.add("starts_at", _("Enter the date and time the notice is shown from."))
    if ends_at is not None and not isinstance(ends_at, datetime.datetime):
        errors.add("ends_at", _("Enter a date and time."))
    elif (
        isinstance(ends_at, datetime.datetime)
        and isinstance(starts_at, datetime.datetime)
        and ends_at <= starts_at
    ):
        errors.add("ends_at", _("The notice must end after it starts."))
    errors.raise_if_any()
    values["starts_at"] = starts_at
    values["ends_at"] = ends_at
    return values


@transaction.atomic
def notice_create(
    *,
    actor: User | None,
    center: Center,
    title: str,
    starts_at: datetime.datetime,
    body: str = "",
    ends_at: datetime.datetime | None = None,
    is_published: bool = False,
    position: int = 0,
) -> HallNotice:
    require_manager(actor, center)
    values = _clean(
        title=title,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        is_published=is_published,
        position=position,
    )
    notice = HallNotice.objects.create(center=center, **values)
    record_event(
        actor=actor,
        action=FrontdeskEvent.NOTICE_CREATE,
        obj=notice,
        center_id=center.pk,
        data={"title": notice.title, "published": notice.is_published},
    )
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: User | None,
    notice: HallNotice,
    title: str,
    starts_at: datetime.datetime,
    body: str = "",
    ends_at: datetime.datetime | None = None,
    is_published: bool = False,
    position: int = 0,
) -> HallNotice:
    locked = HallNotice.objects.select_for_update().select_related("center").get(pk=notice.pk)
    require_manager(actor, locked.center)
    values = _clean(
        title=title,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        is_published=is_published,
        position=position,
    )
    changed: dict[str, list[str]] = {}
    for key, value in values.items():
        if getattr(locked, key) != value:
            changed[key] = [str(getattr(locked, key)), str(value)]
            setattr(locked, key, value)
    if changed:
        locked.save()
        record_event(
            actor=actor,
            action=FrontdeskEvent.NOTICE_UPDATE,
            obj=locked,
            center_id=locked.center_id,
            data=changed,
        )
    return locked


@transaction.atomic
def notice_withdraw(*, actor: User | None, notice: HallNotice) -> HallNotice:
    """Take a published notice off the portal and the board (it stays, unpublished, to be
    published again by an update); a notice not published is a Conflict (already withdrawn)."""
    locked = HallNotice.objects.select_for_update().select_related("center").get(pk=notice.pk)
    require_manager(actor, locked.center)
    if not locked.is_published:
        raise Conflict(_("This notice is not published; there is nothing to withdraw."))
    locked.is_published = False
    locked.save(update_fields=["is_published", "updated_at"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.NOTICE_WITHDRAW,
        obj=locked,
        center_id=locked.center_id,
        data={"title": locked.title},
    )
    return locked


@transaction.atomic
def notice_delete(*, actor: User | None, notice: HallNotice) -> None:
    locked = HallNotice.objects.select_for_update().select_related("center").get(pk=notice.pk)
    require_manager(actor, locked.center)
    record_event(
        actor=actor,
        action=FrontdeskEvent.NOTICE_DELETE,
        obj=locked,
        center_id=locked.center_id,
        data={"title": locked.title},
    )
    locked.delete()
