"""Rosters (issue 5 item 5): lunch duty and leader on duty per day, department leader visits.

Only hall managers of the center change the roster; a department leader logs their own visits
(or a manager logs one on a leader's behalf). A person on approved leave during the center's
service hours that day is refused for its duties, with the leave named (issue 17 item 5).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import LEADER_ON_DUTY_ROLES, Role, roles_of
from govhall.core.validation import FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department, Staff, Window
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.leave import Leave, LeaveStatus
from govhall.staffing.models.roster import DutyAssignment, DutyKind, LeaderVisit
from govhall.workdays.queries.calendar import is_workday

NOTE_MAX_LENGTH = LeaderVisit._meta.get_field("note").max_length or 300


def _require_manager(actor: User | None, center: Center) -> None:
    # Hall managers of the center's subtree (`actor` None is the system: the CLI, the demo).
    if not manages_center(actor, center.pk):
        raise ValidationError(_("Only the managers of this center may change the roster."))


def _approved_leave_on(user: User, center: Center, date: datetime.date) -> Leave | None:
    """`user`'s approved leave overlapping `center`'s service hours on `date`, if any."""
    opens = timezone.make_aware(datetime.datetime.combine(date, center.morning_opens))
    closes = timezone.make_aware(datetime.datetime.combine(date, center.afternoon_closes))
    return (
        Leave.objects.filter(
            user=user, status=LeaveStatus.APPROVED, starts_at__lt=closes, ends_at__gt=opens
        )
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def duty_assign(
    *,
    actor: User | None,
    center: Center,
    date: datetime.date,
    kind: str,
    user: User,
    window: Window | None = None,
) -> DutyAssignment:
    _require_manager(actor, center)
    errors = FieldErrors()
    kind = errors.choice(
        "kind", kind, DutyKind.values, message=_("Choose lunch duty or leader on duty.")
    )
    if not Staff.objects.filter(user=user, center=center).exists():
        errors.add(
            "user",
            _("%(name)s is not a staff member of %(center)s.")
            % {"name": user.display_name, "center": center.name},
        )
    elif kind == DutyKind.LEADER and not roles_of(user) & LEADER_ON_DUTY_ROLES:
        errors.add(
            "user",
            _(
                "The leader on duty must be a hall director, a department leader "
                "or a window head; %(name)s is none of these."
            )
            % {"name": user.display_name},
        )
    if not is_workday(center.pk, date):
        errors.add(
            "date",
            _("%(date)s is not a working day of %(center)s.")
            % {"date": date.isoformat(), "center": center.name},
        )
    if window is not None and window.center_id != center.pk:
        errors.add("window", _("The window is not in this center."))
    leave = None if errors else _approved_leave_on(user, center, date)
    if leave is not None:
        # Refused, not warned (issue 17 item 5): an approved leave is the record of who is away,
        # so a duty on that day would stand unserved; the manager picks someone else or the
        # leave is cancelled first.
        errors.add(
            "user",
            _(
                "%(name)s is on approved leave that day (%(kind)s, %(starts)s – %(ends)s): "
                "choose someone else, or cancel the leave first."
            )
            % {
                "name": user.display_name,
                "kind": leave.get_kind_display(),
                "starts": timezone.localtime(leave.starts_at).strftime("%Y-%m-%d %H:%M"),
                "ends": timezone.localtime(leave.ends_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    if (
        not errors
        and DutyAssignment.objects.filter(center=center, date=date, kind=kind, user=user).exists()
    ):
        errors.add(
            "user", _("%(name)s is already on this duty that day.") % {"name": user.display_name}
        )
    errors.raise_if_any()
    duty = DutyAssignment.objects.create(
        center=center, date=date, kind=kind, user=user, window=window
    )
    record_event(
        actor=actor,
        action=StaffingEvent.DUTY_ASSIGN,
        obj=duty,
        center_id=center.pk,
        data={"date": date.isoformat(), "kind": kind, "user": user.pk},
    )
    return duty


@transaction.atomic
def duty_remove(*, actor: User | None, duty: DutyAssignment) -> None:
    _require_manager(actor, duty.center)
    record_event(
        actor=actor,
        action=StaffingEvent.DUTY_REMOVE,
        obj=duty,
        center_id=duty.center_id,
        data={"date": duty.date.isoformat(), "kind": duty.kind, "user": duty.user_id},
    )
    duty.delete()


def _is_leader_of(user: User, department: Department) -> bool:
    return (
        Role.DEPT_LEADER in roles_of(user)
        and Staff.objects.filter(user=user, department=department).exists()
    )


@transaction.atomic
def leader_visit_record(
    *,
    actor: User | None,
    department: Department,
    visited_at: datetime.datetime,
    note: str = "",
    leader: User | None = None,
    at: datetime.datetime | None = None,
) -> LeaderVisit:
    """Log a department leader's visit to their window. The leader logs it, or a manager of the
    center on the leader's behalf (`leader=`)."""
    now = at or timezone.now()
    if actor is None:
        raise ValidationError(_("Log in to record a visit."))
    errors = FieldErrors()
    if leader is None or leader.pk == actor.pk:
        leader = actor
        if not _is_leader_of(actor, department):
            raise ValidationError(
                _("Only a leader of %(department)s, or a hall manager, may record its visits.")
                % {"department": department.name}
            )
    else:
        if not manages_center(actor, department.center_id):
            raise ValidationError(_("Only a hall manager may record a visit on a leader's behalf."))
        if not _is_leader_of(leader, department):
            errors.add(
                "leader",
                _("%(name)s is not a leader of %(department)s.")
                % {"name": leader.display_name, "department": department.name},
            )
    if timezone.is_naive(visited_at):
        errors.add("visited_at", _("Give the visit time with a time zone."))
    elif visited_at > now:
        errors.add("visited_at", _("A visit cannot be recorded in advance."))
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    visit = LeaderVisit.objects.create(
        department=department, leader=leader, visited_at=visited_at, note=note
    )
    record_event(
        actor=actor,
        action=StaffingEvent.LEADER_VISIT_RECORD,
        obj=visit,
        center_id=department.center_id,
        data={"department": department.pk, "leader": leader.pk},
    )
    return visit
