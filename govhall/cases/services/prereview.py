"""同步预审 (抄告相关、同步预审, issue 19 item 2): an online case is pre-reviewed by its lead
department and, for a joint item, by each participating department, in parallel.

Entry points:

def prereview_tasks_open(*, case, at=None) -> list[PrereviewTask]      # at submission
def prereview_task_decide(*, actor, task, passed, opinion, at=None) -> PrereviewTask
def prereview_tasks_end(*, case, actor, note, at) -> int               # return / supplement
def prereview_lead_pass(*, case, actor, at) -> None                    # the lead's pass
def prereview_tasks_reopen(*, case, at) -> int                         # supplement came in

- `case_submit_online` opens one task for the lead department (`is_lead`) and one per active
  participating department of the item (`item.joint_departments`), in its transaction: each
  department's window staff see the submission at once (their inbox, `cases_in_scope`).
- A participating department's window staff (`PREREVIEW_TASK_ROLES` of that department, in the
  case's center subtree) pass or return their task with an opinion (`prereview_task_decide`);
  a return needs the opinion and ends the other participating departments' open tasks with a
  note (their pass could no longer let the case through); the lead window then returns the
  case or asks for a supplement with that opinion before it.
- The lead's `prereview_pass` (the case engine) is refused until every other task passed (the
  table's guard `prereview_done`, `prereview_refusal` says who is missing) and passes the
  lead's task; `prereview_return` and `request_supplement` end every open task with a note.
- An online supplement (`submit_supplement`) sends the case back to pre-review: every task is
  pending again.

Every change locks the case row first (the engine does the same), so two departments acting
at once never lose a decision and the case passes once.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, PrereviewTask
from govhall.cases.services.departments import case_departments_add
from govhall.cases.services.errors import CaseConflict
from govhall.cases.statuses import CaseStatus, Channel, PrereviewStatus
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import PREREVIEW_TASK_ROLES, roles_of
from govhall.core.validation import FieldErrors
from govhall.org.models import Staff

OPINION_MAX = 2000
NOTE_MAX = 300


def _lock_case(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("center", "item", "department")
        .get(pk=case_id)
    )


def prereview_tasks_open(*, case: Case, at: datetime.datetime | None = None) -> list[PrereviewTask]:
    """One pending task for the lead department and one per active participating department of
    the item (called inside the submission's transaction; idempotent)."""
    if case.channel != Channel.ONLINE:
        return []
    departments = [case.department_id] + [
        pk
        for pk in case.item.joint_departments.filter(is_active=True)
        .order_by("id")
        .values_list("pk", flat=True)
        if pk != case.department_id
    ]
    existing = set(
        PrereviewTask.objects.filter(case_id=case.pk).values_list("department_id", flat=True)
    )
    PrereviewTask.objects.bulk_create(
        [
            PrereviewTask(case=case, department_id=pk, is_lead=pk == case.department_id)
            for pk in departments
            if pk not in existing
        ]
    )
    # The participating departments see the case (the lead's own row came with the case).
    case_departments_add(case_id=case.pk, department_ids=departments[1:])
    return list(PrereviewTask.objects.filter(case_id=case.pk).select_related("department"))


def waiting_departments(case: Case) -> tuple[list[str], list[str]]:
    """(names of participating departments still pending, names of those that returned)."""
    rows = PrereviewTask.objects.filter(case_id=case.pk, is_lead=False).select_related("department")
    pending = [row.department.name for row in rows if row.status == PrereviewStatus.PENDING]
    returned = [
        row.department.name
        for row in rows
        if row.status == PrereviewStatus.RETURNED and row.done_by_id is not None
    ]
    return pending, returned


def prereview_done(case: Case) -> bool:
    """Every participating department passed its task (true for a case without tasks)."""
    return not (
        PrereviewTask.objects.filter(case_id=case.pk, is_lead=False)
        .exclude(status=PrereviewStatus.PASSED)
        .exists()
    )


def prereview_refusal(case: Case) -> str:
    pending, returned = waiting_departments(case)
    if returned:
        return _(
            "%(names)s returned the application at pre-review: return it or ask for a supplement."
        ) % {"names": "、".join(returned)}
    return _("Pre-review passes once every department has passed: waiting for %(names)s.") % {
        "names": "、".join(pending)
    }


def _department_of(actor: User) -> int | None:
    value: int | None = (
        Staff.objects.filter(user_id=actor.pk).values_list("department_id", flat=True).first()
    )
    return value


def _center_path_of(actor: User) -> str:
    value: str | None = (
        Staff.objects.filter(user_id=actor.pk).values_list("center__path", flat=True).first()
    )
    return value or ""


def may_decide_task(actor: User, task: PrereviewTask) -> bool:
    """The department's window staff in the case's center subtree (or a superuser) decide a
    participating department's task; the lead's is decided through the case's own actions."""
    if task.is_lead:
        return False
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    if not roles_of(actor) & PREREVIEW_TASK_ROLES:
        return False
    if _department_of(actor) != task.department_id:
        return False
    path = _center_path_of(actor)
    return bool(path) and task.case.center.path.startswith(path)


@transaction.atomic
def prereview_task_decide(
    *,
    actor: User,
    task: PrereviewTask,
    passed: bool,
    opinion: str,
    at: datetime.datetime | None = None,
) -> PrereviewTask:
    """A participating department passes (`passed`) or returns its task with an opinion."""
    now = at or timezone.now()
    case = _lock_case(task.case_id)
    locked = (
        PrereviewTask.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=task.pk)
    )
    locked.case = case
    if not may_decide_task(actor, locked):
        raise ValidationError(
            _("Only the window staff of %(department)s decide this pre-review task.")
            % {"department": locked.department.name}
        )
    if case.status != CaseStatus.SUBMITTED:
        raise CaseConflict(
            _("The case is no longer waiting for pre-review (it is now “%(status)s”).")
            % {"status": CaseStatus(case.status).label},
            code="status",
        )
    if locked.status != PrereviewStatus.PENDING:
        raise CaseConflict(
            _("This pre-review task was already decided (%(status)s); reload the page.")
            % {"status": PrereviewStatus(locked.status).label},
            code="done",
        )
    errors = FieldErrors()
    opinion = errors.text(
        "opinion",
        opinion,
        max_length=OPINION_MAX,
        required="" if passed else _("Give the reason for returning the application."),
        too_long=_("The opinion is too long (at most %(max)d characters).") % {"max": OPINION_MAX},
    )
    errors.raise_if_any()
    locked.status = PrereviewStatus.PASSED if passed else PrereviewStatus.RETURNED
    locked.opinion = opinion
    locked.done_by = actor
    locked.done_at = now
    locked.save(update_fields=["status", "opinion", "done_by", "done_at"])
    record_event(
        actor=actor,
        action=CaseEvent.PASS_PREREVIEW_TASK if passed else CaseEvent.RETURN_PREREVIEW_TASK,
        obj=case,
        center_id=case.center_id,
        note=opinion,
        data={
            "task": locked.pk,
            "department": locked.department_id,
            "department_name": locked.department.name,
        },
    )
    if not passed:
        note = _("Ended: %(department)s returned the application.") % {
            "department": locked.department.name
        }
        _end(case, actor=actor, note=note, now=now, lead_too=False)
    return locked


def _end(
    case: Case, *, actor: User | None, note: str, now: datetime.datetime, lead_too: bool
) -> int:
    open_tasks = PrereviewTask.objects.filter(case_id=case.pk, status=PrereviewStatus.PENDING)
    if not lead_too:
        open_tasks = open_tasks.filter(is_lead=False)
    names = list(open_tasks.values_list("department__name", flat=True))
    if not names:
        return 0
    ended = open_tasks.update(
        status=PrereviewStatus.RETURNED, opinion=note[:NOTE_MAX], done_by=None, done_at=now
    )
    record_event(
        actor=actor,
        action=CaseEvent.END_PREREVIEW_TASKS,
        obj=case,
        center_id=case.center_id,
        note=note,
        data={"departments": names},
    )
    return ended


def prereview_tasks_end(*, case: Case, actor: User | None, note: str, at: datetime.datetime) -> int:
    """The case was returned or a supplement was asked for: every open task ends with `note`
    (called by the engine, which holds the case's lock)."""
    return _end(case, actor=actor, note=note, now=at, lead_too=True)


def prereview_lead_pass(*, case: Case, actor: User | None, at: datetime.datetime) -> None:
    """The lead window passed the case: the lead department's task is passed."""
    PrereviewTask.objects.filter(
        case_id=case.pk, is_lead=True, status=PrereviewStatus.PENDING
    ).update(status=PrereviewStatus.PASSED, done_by=actor, done_at=at)


def prereview_tasks_reopen(*, case: Case, at: datetime.datetime) -> int:
    """The applicant's supplement came in online: a new round of pre-review for everyone."""
    return PrereviewTask.objects.filter(case_id=case.pk).update(
        status=PrereviewStatus.PENDING, opinion="", done_by=None, done_at=None
    )
