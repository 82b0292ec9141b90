"""Reads of joint review tasks (联办件). Every list is one query (select_related)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from govhall.cases.models import Case, JointMeeting, JointProposal, JointTask
from govhall.cases.statuses import TaskStatus

_TASK_RELATED = (
    "case",
    "case__item",
    "case__center",
    "case__department",
    "case__applicant",
    "department",
    "done_by",
)


def tasks_with_case() -> QuerySet[JointTask]:
    return JointTask.objects.select_related(*_TASK_RELATED)


def open_tasks_for_department(dept_id: int) -> QuerySet[JointTask]:
    """A department's open review tasks, the earliest deadline first."""
    return (
        tasks_with_case()
        .filter(department_id=dept_id, status=TaskStatus.OPEN)
        .order_by("due_on", "id")
    )


def overdue_joint_tasks(center_ids: Iterable[int], today: datetime.date) -> QuerySet[JointTask]:
    """Open tasks past their deadline on cases of these centers (the hall director's list)."""
    return (
        tasks_with_case()
        .filter(status=TaskStatus.OPEN, due_on__lt=today, case__center_id__in=list(center_ids))
        .order_by("due_on", "id")
    )


def tasks_of_case(case: Case) -> QuerySet[JointTask]:
    return JointTask.objects.filter(case_id=case.pk).select_related("department", "done_by")


def meetings_of_case(case: Case) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.filter(case_id=case.pk).select_related("recorded_by")


def proposals_of_case(case: Case) -> QuerySet[JointProposal]:
    """The lead window's joint-handling proposals to the director, oldest first."""
    return JointProposal.objects.filter(case_id=case.pk).select_related("proposed_by")


def latest_proposal(case: Case) -> JointProposal | None:
    return proposals_of_case(case).order_by("-proposed_at", "-id").first()


def all_tasks_done(case: Case) -> bool:
    """True when no review task of the case is open (also when it has none)."""
    return not JointTask.objects.filter(case_id=case.pk, status=TaskStatus.OPEN).exists()
