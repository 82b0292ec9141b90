"""Joint cases (联办件, SPEC §6): one review task per participating department, in parallel,
each with its own deadline; the lead decides when all are done; the hall director may record a
joint review meeting (seeds/000… 篇5).

`joint_tasks_start` is called by the engine's start_joint handler inside its transaction (the
engine records the `case.start_joint` event); the other two are actions of their own.
Reads (open tasks of a department, overdue tasks, all done?) are in `cases/queries/joint.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, JointMeeting, JointTask
from govhall.cases.services.permissions import manages
from govhall.cases.statuses import CaseStatus, TaskStatus
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import JOINT_TASK_ROLES, MANAGER_ROLES, roles_of
from govhall.core.validation import FieldErrors
from govhall.org.models import Department, Staff
from govhall.workdays.queries.calendar import deadline_date
from govhall.workdays.queries.work_calendar import CalendarRangeError

MAX_TASK_DAYS = 365
OPINION_MAX = 4000
MEETING_TEXT_MAX = 4000
# A meeting is recorded after it was held; allow for a clock a little ahead of the server's.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def _resolve_departments(departments: Sequence[Department | int]) -> list[Department]:
    ids: list[int] = []
    for department in departments:
        pk = department.pk if isinstance(department, Department) else int(department)
        if pk not in ids:
            ids.append(pk)
    found = Department.objects.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(_("Unknown department: %(ids)s.") % {"ids": missing})
    return [found[pk] for pk in ids]


@transaction.atomic
def joint_tasks_start(
    *,
    actor: User,
    case: Case,
    departments: Sequence[Department | int],
    task_days: int,
    at: datetime.datetime | None = None,
) -> list[JointTask]:
    """One open review task per participating department (the lead department gets none), each
    due `task_days` working days after the case's clock start (or after today)."""
    now = at or timezone.now()
    participants = [d for d in _resolve_departments(departments) if d.pk != case.department_id]
    if not participants:
        raise ValidationError(
            _("A joint case needs at least one participating department besides the lead.")
        )
    inactive = [d.name for d in participants if not d.is_active]
    if inactive:
        raise ValidationError(
            _("These departments are no longer active: %(names)s.") % {"names": "、".join(inactive)}
        )
    if isinstance(task_days, bool) or not isinstance(task_days, int):
        raise ValidationError(_("The task time limit must be a whole number of working days."))
    if not 1 <= task_days <= MAX_TASK_DAYS:
        raise ValidationError(
            _("The task time limit must be between 1 and %(max)d working days.")
            % {"max": MAX_TASK_DAYS}
        )
    # Serialize with other changes of the case (a no-op inside the engine, which holds the lock).
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    existing = set(
        JointTask.objects.filter(
            case_id=case.pk, department__in=[d.pk for d in participants]
        ).values_list("department__name", flat=True)
    )
    if existing:
        raise ValidationError(
            _("These departments already have a review task on this case: %(names)s.")
            % {"names": "、".join(sorted(existing))}
        )
    start = case.clock_started_on or timezone.localdate(now)
    try:
        due_on = deadline_date(case.center_id, start, task_days)
    except CalendarRangeError as error:
        raise ValidationError(str(error)) from None
    tasks = JointTask.objects.bulk_create(
        [JointTask(case=case, department=d, due_on=due_on) for d in participants]
    )
    if any(task.pk is None for task in tasks):  # backends without RETURNING
        tasks = list(
            JointTask.objects.filter(case_id=case.pk, department__in=participants).order_by("id")
        )
    return tasks


def _department_of(actor: User) -> int | None:
    return Staff.objects.filter(user_id=actor.pk).values_list("department_id", flat=True).first()


@transaction.atomic
def joint_task_complete(*, actor: User, task: JointTask, opinion: str, agrees: bool) -> JointTask:
    """A participating department gives its opinion; once per task."""
    locked = (
        JointTask.objects.select_for_update(of=("self",))
        .select_related("case", "department", "done_by")
        .get(pk=task.pk)
    )
    is_superuser = getattr(actor, "is_superuser", False)
    if not is_superuser and not (
        roles_of(actor) & JOINT_TASK_ROLES and _department_of(actor) == locked.department_id
    ):
        raise ValidationError(
            _(
                "Only a reviewer, approver or window head of %(department)s can complete this "
                "review task."
            )
            % {"department": locked.department.name}
        )
    if locked.status == TaskStatus.DONE:
        done_at = timezone.localtime(locked.done_at) if locked.done_at else None
        raise ValidationError(
            _("This review task was already completed by %(by)s on %(date)s.")
            % {
                "by": locked.done_by.display_name if locked.done_by else "",
                "date": done_at.strftime("%Y-%m-%d %H:%M") if done_at else "",
            }
        )
    case = locked.case
    if case.status != CaseStatus.JOINT_REVIEW:
        raise ValidationError(
            _("The case is not in joint review (it is %(status)s); the task cannot be completed.")
            % {"status": case.get_status_display()}
        )
    errors = FieldErrors()
    opinion = errors.text(
        "opinion",
        opinion,
        max_length=OPINION_MAX,
        required=_("Give the department's opinion."),
        too_long=_("The opinion is too long (at most %(max)d characters).") % {"max": OPINION_MAX},
    )
    if not isinstance(agrees, bool):
        errors.add("agrees", _("Say whether the department agrees."))
    errors.raise_if_any()
    locked.status = TaskStatus.DONE
    locked.opinion = opinion
    locked.agrees = agrees
    locked.done_by = actor
    locked.done_at = timezone.now()
    locked.save(update_fields=["status", "opinion", "agrees", "done_by", "done_at"])
    record_event(
        actor=actor,
        action=CaseEvent.COMPLETE_JOINT_TASK,
        obj=case,
        center_id=case.center_id,
        note=opinion,
        data={
            "task": locked.pk,
            "department": locked.department_id,
            "department_name": locked.department.name,
            "agrees": agrees,
            "overdue": locked.done_at.date() > locked.due_on,
        },
    )
    return locked


@transaction.atomic
def joint_meeting_record(
    *,
    actor: User,
    case: Case,
    held_at: datetime.datetime,
    participants: str,
    conclusions: str,
) -> JointMeeting:
    """The hall director records a joint review meeting on a joint case."""
    is_management = getattr(actor, "is_superuser", False) or bool(roles_of(actor) & MANAGER_ROLES)
    if not is_management or not manages(actor, case):
        raise ValidationError(
            _("Only the hall director or an administrator can record a joint review meeting.")
        )
    if case.kind != "joint" and not JointTask.objects.filter(case_id=case.pk).exists():
        raise ValidationError(_("Joint review meetings are for joint cases only."))
    errors = FieldErrors()
    participants = errors.text(
        "participants",
        participants,
        max_length=MEETING_TEXT_MAX,
        required=_("List who took part in the meeting."),
        too_long=_("The list is too long (at most %(max)d characters).")
        % {"max": MEETING_TEXT_MAX},
    )
    conclusions = errors.text(
        "conclusions",
        conclusions,
        max_length=MEETING_TEXT_MAX,
        required=_("Write down the meeting's conclusions."),
        too_long=_("The conclusions are too long (at most %(max)d characters).")
        % {"max": MEETING_TEXT_MAX},
    )
    if held_at is None:
        errors.add("held_at", _("Say when the meeting was held."))
    elif held_at > timezone.now() + FUTURE_TOLERANCE:
        errors.add("held_at", _("A meeting is recorded after it was held, not in advance."))
    errors.raise_if_any()
    meeting = JointMeeting.objects.create(
        case=case,
        held_at=held_at,
        participants=participants,
        conclusions=conclusions,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=CaseEvent.RECORD_JOINT_MEETING,
        obj=case,
        center_id=case.center_id,
        note=conclusions[:300],
        data={"meeting": meeting.pk, "held_at": held_at.isoformat()},
    )
    return meeting
