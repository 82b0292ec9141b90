"""Window-staff rules (issue 5 item 6; seeds/001… 窗口人员调整办法, seeds/002… 调整 ≤ 50%).

A change of assignment closes the current one the day before the new one starts; the new one has
a one-month trial. Three checks guard a change (not a person's first assignment): at least a year
served, changes in January, and at most half of a window's staff leaving in one month. A hall
manager may override any of them with a reason, which is logged with the change.

The 50% rule, exactly: the staff of window W for month M are the assignments at W that started
before M and had not ended before M began. The people leaving W in M are the assignments at W
that end the day before a day of M (a change effective in M). With this change counted, at most
max(1, staff // 2) people may leave W in M.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Department, Staff, Window
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.assignment import (
    Assignment,
    ReturnDecision,
    StaffFact,
    StaffFactKind,
)
from govhall.staffing.queries.assignments import return_warnings
from govhall.staffing.queries.rosters import month_bounds
from govhall.staffing.queries.selection import readiness_refusal

REASON_MAX_LENGTH = Assignment._meta.get_field("override_reason").max_length or 300
SOURCE_MAX_LENGTH = StaffFact._meta.get_field("source").max_length or 100
NOTE_MAX_LENGTH = StaffFact._meta.get_field("note").max_length or 300


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_bounds(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last.day))


def trial_end(starts_on: datetime.date) -> datetime.date:
    """One month's trial (试用期一个月)."""
    return add_months(starts_on, 1)


def earliest_regular_change(current: Assignment) -> datetime.date:
    """The first day a change of `current` keeps both the one-year and the January rule."""
    day = add_months(current.starts_on, 12)
    if day.month != 1:
        day = datetime.date(day.year + 1, 1, 1)
    return day


@dataclass(frozen=True)
class RuleViolation:
    rule: str  # "one_year", "january", "half_of_window"
    field: str
    message: str


def window_changes(window: Window, starts_on: datetime.date) -> tuple[int, int]:
    """(staff at the window for the month of `starts_on`, people already leaving it that month),
    in one aggregate query."""
    first, last = month_bounds(starts_on.year, starts_on.month)
    day_before = first - datetime.timedelta(days=1)
    counts = Assignment.objects.filter(window=window).aggregate(
        staff=Count(
            "pk",
            filter=Q(starts_on__lt=first) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day_before)),
        ),
        leaving=Count(
            "pk",
            filter=Q(ends_on__gte=day_before, ends_on__lt=last),
        ),
    )
    return int(counts["staff"]), int(counts["leaving"])


def allowed_leaving(staff: int) -> int:
    return max(1, staff // 2)


def assignment_check(
    *, user: User, starts_on: datetime.date, current: Assignment | None = None
) -> list[RuleViolation]:
    """The rules a change of `user`'s assignment starting on `starts_on` would break."""
    if current is None:
        current = Assignment.objects.filter(user=user, ends_on__isnull=True).first()
    if current is None:
        return []  # a first assignment has no previous period to check
    violations: list[RuleViolation] = []
    served_until = add_months(current.starts_on, 12)
    if starts_on < served_until:
        violations.append(
            RuleViolation(
                "one_year",
                "starts_on",
                _(
                    "Window staff serve at least one year: the current assignment began on "
                    "%(start)s, so a change is possible from %(earliest)s."
                )
                % {"start": current.starts_on.isoformat(), "earliest": served_until.isoformat()},
            )
        )
    if settings.GOVHALL_ASSIGNMENT_CHANGES_FIRST_HALF:
        if starts_on.month > 6:
            violations.append(
                RuleViolation(
                    "january",
                    "starts_on",
                    _(
                        "Window staff are changed in the first half of the year; this change "
                        "starts in the second half."
                    ),
                )
            )
    elif starts_on.month != 1:
        violations.append(
            RuleViolation(
                "january",
                "starts_on",
                _("Window staff are changed in January; this change starts in another month."),
            )
        )
    if current.window_id is not None:
        window = current.window
        assert window is not None
        staff, leaving = window_changes(window, starts_on)
        limit = allowed_leaving(staff)
        if leaving + 1 > limit:
            violations.append(
                RuleViolation(
                    "half_of_window",
                    "window",
                    _(
                        "At most half of a window's staff may change at once: %(window)s has "
                        "%(staff)d staff and %(leaving)d already leave it this month "
                        "(at most %(limit)d)."
                    )
                    % {"window": window, "staff": staff, "leaving": leaving, "limit": limit},
                )
            )
    return violations


@transaction.atomic
def assignment_start(
    *,
    actor: User | None,
    user: User,
    department: Department,
    window: Window | None = None,
    starts_on: datetime.date,
    override_reason: str = "",
) -> Assignment:
    """Station `user` at `window` for `department` from `starts_on`, closing the current
    assignment the day before. Broken rules refuse the change unless a reason is given.
    Every error is collected (the input, then the rules of the change) before refusing."""
    center = department.center
    if not manages_center(actor, center.pk):
        raise ValidationError(_("Only the managers of this center may change assignments."))
    errors = FieldErrors()
    staff = Staff.objects.filter(user=user, center=center).first()
    if staff is None:
        errors.add(
            "user",
            _("%(name)s is not a staff member of %(center)s.")
            % {"name": user.display_name, "center": center.name},
        )
    elif window is not None and not staff.is_window_staff:
        errors.add(
            "user",
            _("%(name)s is not window staff and cannot be stationed at a window.")
            % {"name": user.display_name},
        )
    if window is not None and (
        window.center_id != center.pk or not window.departments.filter(pk=department.pk).exists()
    ):
        errors.add(
            "window",
            _("Window %(window)s does not serve %(department)s.")
            % {"window": window, "department": department.name},
        )
    override_reason = errors.text("override_reason", override_reason, max_length=REASON_MAX_LENGTH)
    # Issue 21 item 1: a person from the window staff selection serves only once ready.
    not_ready = readiness_refusal(user.pk)
    if not_ready:
        errors.add("user", not_ready)
    errors.raise_if_any()
    # Lock the person's current assignment so two changes cannot both close it.
    current = Assignment.objects.select_for_update().filter(user=user, ends_on__isnull=True).first()
    if current is not None and starts_on <= current.starts_on:
        errors.add(
            "starts_on",
            _("The new assignment must start after the current one (%(start)s).")
            % {"start": current.starts_on.isoformat()},
        )
        errors.raise_if_any()
    violations = assignment_check(user=user, starts_on=starts_on, current=current)
    if violations and not override_reason:
        for violation in violations:
            errors.add(violation.field, violation.message)
        errors.add("override_reason", _("Give a reason to override these rules."))
    errors.raise_if_any()
    if current is not None:
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on", "updated_at"])
    assignment = Assignment.objects.create(
        user=user,
        center=center,
        department=department,
        window=window,
        starts_on=starts_on,
        trial_ends_on=trial_end(starts_on),
        override_reason=override_reason if violations else "",
    )
    record_event(
        actor=actor,
        action=StaffingEvent.ASSIGNMENT_START,
        obj=assignment,
        center_id=center.pk,
        note=override_reason if violations else "",
        data={
            "user": user.pk,
            "department": department.pk,
            "window": window.pk if window else None,
            "starts_on": starts_on.isoformat(),
            "previous": current.pk if current else None,
            "overridden_rules": [v.rule for v in violations],
            "override_reason": override_reason if violations else "",
        },
    )
    return assignment


@transaction.atomic
def staff_fact_record(
    *,
    actor: User | None,
    user: User,
    kind: str,
    occurred_on: datetime.date,
    source: str = "",
    note: str = "",
) -> StaffFact:
    """Record a fact feeding the return-to-department rule. Later modules (assessment,
    complaints, ratings) call this with actor=None; from a page or the API a hall manager of the
    person's center records it."""
    staff = Staff.objects.select_related("center").filter(user=user).first()
    if staff is None:
        raise ValidationError({"user": [_("Only staff members have staff facts.")]})
    if not manages_center(actor, staff.center_id):
        raise ValidationError(_("Only the managers of this center may record staff facts."))
    errors = FieldErrors()
    errors.choice("kind", kind, StaffFactKind.values, message=_("Choose a kind of fact."))
    if occurred_on > timezone.localdate():
        errors.add("occurred_on", _("The date cannot be in the future."))
    source = errors.text("source", source, max_length=SOURCE_MAX_LENGTH)
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    fact = StaffFact.objects.create(
        user=user, kind=kind, occurred_on=occurred_on, source=source, note=note
    )
    record_event(
        actor=actor,
        action=StaffingEvent.STAFF_FACT_RECORD,
        obj=fact,
        center_id=staff.center_id,
        data={"user": user.pk, "kind": kind, "occurred_on": occurred_on.isoformat()},
    )
    return fact


def _end_current(
    *, actor: User | None, user: User, ends_on: datetime.date, note: str = ""
) -> Assignment | None:
    """End `user`'s current assignment on `ends_on` (locked; None when there is none)."""
    current = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(user=user, ends_on__isnull=True)
        .first()
    )
    if current is None:
        return None
    current.ends_on = max(ends_on, current.starts_on)
    current.save(update_fields=["ends_on", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.ASSIGNMENT_END,
        obj=current,
        center_id=current.center_id,
        note=note,
        data={"user": user.pk, "ends_on": current.ends_on.isoformat()},
    )
    return current


@transaction.atomic
def return_decide(*, actor: User | None, user: User, note: str = "") -> ReturnDecision:
    """Act on a return-to-department warning (退回原单位, issue 16 item 10): a hall manager of
    the person's center decides, the current assignment ends today and a notice for the
    department is kept (printable). Refused when the person is not due for return."""
    staff = Staff.objects.select_related("center", "department").filter(user=user).first()
    if staff is None:
        raise ValidationError({"user": [_("Only staff members can be returned.")]})
    if not manages_center(actor, staff.center_id):
        raise ValidationError(_("Only the managers of this center may decide a return."))
    errors = FieldErrors()
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    # Lock the person so two managers cannot both decide the same warning.
    Staff.objects.select_for_update(of=("self",)).filter(pk=staff.pk).first()
    today = timezone.localdate()
    warnings = return_warnings([user], today, with_facts=False)
    if not warnings:
        errors.conflict(
            "user", _("%(name)s is not due to be returned.") % {"name": user.display_name}
        )
        errors.raise_if_any()
    return return_record(
        actor=actor, user=user, reasons="\n".join(warnings[0].reasons), note=note, staff=staff
    )


def return_record(
    *, actor: User | None, user: User, reasons: str, note: str = "", staff: Staff | None = None
) -> ReturnDecision:
    """End `user`'s current assignment today and keep the decision with its printable notice
    for the department. The callers (a return warning acted on, a trial ended with "returned",
    issue 21) checked who decides and why; call inside their transaction."""
    if staff is None:
        staff = Staff.objects.select_related("center", "department").get(user=user)
    today = timezone.localdate()
    ended = _end_current(actor=actor, user=user, ends_on=today, note=note)
    decision = ReturnDecision.objects.create(
        user=user,
        center=staff.center,
        department=ended.department if ended else staff.department,
        assignment=ended,
        decided_on=today,
        decided_by=actor,
        reasons=reasons,
        note=note,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.RETURN_DECIDE,
        obj=decision,
        center_id=staff.center_id,
        note=note,
        data={"user": user.pk, "assignment": ended.pk if ended else None},
    )
    return decision
