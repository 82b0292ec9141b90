"""Changing the A/B staff of a post under the window-staff rules (issue 16 item 4).

Why here and not in org: the post's people ARE window assignments (窗口人员调整办法, seeds/001…
AB岗 四1 "原则上长期固定(一年以上)… 办理人员调整相关手续"), so a change must pass the same checks
as `assignment_start` (one year, January or the first half-year, at most half of a window's staff
a month, a manager's override with a reason) and write the assignment record. Org (layer 2)
cannot know those rules (layer 3), so the faces (layer 5) call this service, which changes the
post through org's `post_update` (the AB岗 rules: A and B differ, window staff, one A post) and
the assignments through `assignment_start` / the end of the leaving person's assignment, in one
transaction: either everything is written or nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Department, Post, Staff, Window
from govhall.org.services.windows import post_create, post_update
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.assignment import Assignment
from govhall.staffing.services.assignments import (
    REASON_MAX_LENGTH,
    assignment_check,
    assignment_start,
)


def _department_for(user: User, window: Window) -> Department | None:
    """The person's own department when the window serves it, else the window's first one."""
    staff = Staff.objects.filter(user=user).select_related("department").first()
    served = list(window.departments.order_by("pk"))
    if staff is not None and staff.department_id in {d.pk for d in served}:
        return staff.department
    return served[0] if served else None


def _people(*users: User | None) -> dict[int, User]:
    return {user.pk: user for user in users if user is not None}


@transaction.atomic
def post_staff_change(
    *,
    actor: User | None,
    post: Post,
    a_staff: User | None,
    b_staff: User | None,
    name: str | None = None,
    starts_on: datetime.date | None = None,
    override_reason: str = "",
) -> Post:
    """Put `a_staff` and `b_staff` on `post` from `starts_on` (default today). A person joining
    the window starts an assignment there (the rules apply); a person leaving the window (no
    other post there) ends theirs the day before (the rules apply too). Broken rules refuse the
    whole change unless a hall manager gives a reason."""
    window = post.window
    if not manages_center(actor, window.center_id):
        raise ValidationError(_("Only the managers of this center may change the staff of a post."))
    day = starts_on or timezone.localdate()
    errors = FieldErrors()
    override_reason = errors.text("override_reason", override_reason, max_length=REASON_MAX_LENGTH)
    errors.raise_if_any()
    before = _people(post.a_staff, post.b_staff)
    after = _people(a_staff, b_staff)
    fields: dict[str, object] = {"a_staff": a_staff, "b_staff": b_staff}
    if name is not None:
        fields["name"] = name
    post_update(actor=actor, post=post, **fields)  # the AB岗 rules; refuses before any record
    elsewhere_at_window = {
        pk
        for row in Post.objects.filter(window=window).exclude(pk=post.pk)
        for pk in (row.a_staff_id, row.b_staff_id)
        if pk is not None
    }
    joining = [
        user
        for pk, user in after.items()
        if pk not in before
        and not Assignment.objects.filter(user=user, ends_on__isnull=True, window=window).exists()
    ]
    leaving = [
        user for pk, user in before.items() if pk not in after and pk not in elsewhere_at_window
    ]
    for user in leaving:
        current = (
            Assignment.objects.select_for_update(of=("self",))
            .filter(user=user, ends_on__isnull=True, window=window)
            .first()
        )
        if current is None:
            continue
        violations = assignment_check(user=user, starts_on=day, current=current)
        if violations and not override_reason:
            for violation in violations:
                errors.add(violation.field, f"{user.display_name}: {violation.message}")
            errors.add("override_reason", _("Give a reason to override these rules."))
            continue
        current.ends_on = max(day - datetime.timedelta(days=1), current.starts_on)
        current.override_reason = override_reason if violations else current.override_reason
        current.save(update_fields=["ends_on", "override_reason", "updated_at"])
        record_event(
            actor=actor,
            action=StaffingEvent.ASSIGNMENT_END,
            obj=current,
            center_id=window.center_id,
            note=override_reason if violations else "",
            data={
                "user": user.pk,
                "ends_on": current.ends_on.isoformat(),
                "post": post.pk,
                "overridden_rules": [v.rule for v in violations],
            },
        )
    errors.raise_if_any()
    started: list[int] = []
    for user in joining:
        department = _department_for(user, window)
        if department is None:
            errors.add("window", _("The window serves no department yet."))
            break
        try:
            started.append(
                assignment_start(
                    actor=actor,
                    user=user,
                    department=department,
                    window=window,
                    starts_on=day,
                    override_reason=override_reason,
                ).pk
            )
        except ValidationError as error:
            errors.merge(error)
    errors.raise_if_any()
    record_event(
        actor=actor,
        action=StaffingEvent.POST_STAFF_CHANGE,
        obj=post,
        center_id=window.center_id,
        note=override_reason,
        data={
            "a_staff": a_staff.pk if a_staff else None,
            "b_staff": b_staff.pk if b_staff else None,
            "starts_on": day.isoformat(),
            "assignments": started,
            "left": [user.pk for user in leaving],
        },
    )
    return post


@transaction.atomic
def post_staffed_create(
    *,
    actor: User | None,
    window: Window,
    name: str,
    a_staff: User | None = None,
    b_staff: User | None = None,
    starts_on: datetime.date | None = None,
    override_reason: str = "",
) -> Post:
    """A new post with its A/B staff, the people placed under the same rules as a change."""
    post = post_create(actor=actor, window=window, name=name)
    if a_staff is None and b_staff is None:
        return post
    return post_staff_change(
        actor=actor,
        post=post,
        a_staff=a_staff,
        b_staff=b_staff,
        starts_on=starts_on,
        override_reason=override_reason,
    )
