"""Joint cases (联办件, SPEC §6): one review task per participating department, in parallel,
each with its own deadline; the lead decides when all are done; the hall director may record a
joint review meeting (seeds/000… 篇5).

Issue 16 item 7 (seeds/000… 篇5 五): a department's task is due after its own working days set
in the catalog for the item (`catalog.JointDepartmentDays`), else after the case's; the lead
window's joint-handling proposal (联办意见, `joint_proposal_submit`) goes to the director first,
and a meeting is recorded only on a case with a proposal (the meeting keeps the latest one).

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

from govhall.cases.case_transitions import UNDECIDED_STATUSES
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, JointMeeting, JointProposal, JointTask
from govhall.cases.services.departments import case_departments_add
from govhall.cases.services.permissions import Standing, manages
from govhall.cases.statuses import CaseStatus, TaskStatus
from govhall.catalog.models import JointDepartmentDays
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import JOINT_TASK_ROLES, MANAGER_ROLES, WINDOW_ROLES, roles_of
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
    due after the department's own working days set in the catalog for the item, else after
    `task_days` (the case's), counted from the case's clock start (or from today)."""
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
    own_days = dict(
        JointDepartmentDays.objects.filter(
            item_id=case.item_id, department__in=[d.pk for d in participants]
        ).values_list("department_id", "days")
    )
    due: dict[int, datetime.date] = {}
    try:
        for days in {own_days.get(d.pk, task_days) for d in participants}:
            due[days] = deadline_date(case.center_id, start, days)
    except CalendarRangeError as error:
        raise ValidationError(str(error)) from None
    tasks = JointTask.objects.bulk_create(
        [
            JointTask(case=case, department=d, due_on=due[own_days.get(d.pk, task_days)])
            for d in participants
        ]
    )
    case_departments_add(case_id=case.pk, department_ids=[d.pk for d in participants])
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
def joint_proposal_submit(*, actor: User, case: Case, text: str) -> JointProposal:
    """The lead window proposes to the hall director how to handle the joint case (联办意见):
    who takes part, what they need from the applicant, when to meet."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("center", "window", "item")
        .get(pk=case.pk)
    )
    standing = Standing(actor, locked)
    if not standing.superuser and not (roles_of(actor) & WINDOW_ROLES and standing.as_window_head):
        raise ValidationError(
            _("Only the lead window of the case proposes how the joint case is handled.")
        )
    if locked.kind != "joint" and not JointTask.objects.filter(case_id=locked.pk).exists():
        raise ValidationError(_("Joint-handling proposals are for joint cases only."))
    if locked.status not in UNDECIDED_STATUSES:
        raise ValidationError(
            _("The case is %(status)s; a proposal is no longer possible.")
            % {"status": locked.get_status_display()}
        )
    errors = FieldErrors()
    text = errors.text(
        "text",
        text,
        max_length=MEETING_TEXT_MAX,
        required=_("Write the proposal."),
        too_long=_("The proposal is too long (at most %(max)d characters).")
        % {"max": MEETING_TEXT_MAX},
    )
    errors.raise_if_any()
    proposal = JointProposal.objects.create(case=locked, text=text, proposed_by=actor)
    record_event(
        actor=actor,
        action=CaseEvent.SUBMIT_JOINT_PROPOSAL,
        obj=locked,
        center_id=locked.center_id,
        note=text[:300],
        data={"proposal": proposal.pk},
    )
    return proposal


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
    proposal = JointProposal.objects.filter(case_id=case.pk).order_by("-proposed_at", "-id").first()
    if proposal is None:
        errors.add(
            "proposal",
            _(
                "The lead window's joint-handling proposal comes to the director before the "
                "meeting: there is none on this case yet."
            ),
        )
    errors.raise_if_any()
    meeting = JointMeeting.objects.create(
        case=case,
        proposal=proposal,
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
        data={
            "meeting": meeting.pk,
            "held_at": held_at.isoformat(),
            "proposal": proposal.pk if proposal else None,
        },
    )
    return meeting
