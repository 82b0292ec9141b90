"""同步预审 under concurrency (issue 19 item 2), with real transactions on PostgreSQL: two
departments pass at once and neither decision is lost; the lead passes the case once."""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.cases.models import Case, PrereviewTask
from govhall.cases.services.actions import case_act
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.prereview import prereview_task_decide
from govhall.cases.statuses import CaseStatus, PrereviewStatus
from govhall.core.models import Event
from govhall.testing.online_cases import joint_online_case
from govhall.testing.parallel import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
    ),
]


def _task(case: Case, department_id: int) -> PrereviewTask:
    return PrereviewTask.objects.get(case=case, department_id=department_id)


def test_two_departments_pass_at_once_and_the_case_passes_once(
    county, case_item, applicant_data, clerk, window_head
):
    joint = joint_online_case(county, case_item, applicant_data, suffix="r")
    case = joint.case

    def decide(person, department_id):  # type: ignore[no-untyped-def]
        return lambda: prereview_task_decide(
            actor=person, task=_task(case, department_id), passed=True, opinion="同意"
        )

    results = run_at_once(
        [decide(joint.second_clerk, joint.second.pk), decide(joint.third_clerk, joint.third.pk)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(case.prereview_tasks.filter(is_lead=False).values_list("status", flat=True)) == {
        PrereviewStatus.PASSED
    }

    def lead(person):  # type: ignore[no-untyped-def]
        return lambda: case_act(
            actor=person, case=Case.objects.get(pk=case.pk), action="prereview_pass"
        )

    results = run_at_once([lead(clerk), lead(window_head)])
    assert len([r for r in results if isinstance(r, Case)]) == 1, results
    assert len([r for r in results if isinstance(r, CaseConflict)]) == 1, results
    assert Event.objects.for_object(case).filter(action="case.prereview_pass").count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED
