"""Issue 16 item 7 (seeds/000… 篇5 五 联办件的管理): each participating department's review task
has its own deadline, set in the catalog per item and department and defaulting to the case's;
the lead window's joint-handling proposal (联办意见) goes to the director before the meeting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.cases.models import JointProposal
from govhall.cases.queries.joint import proposals_of_case
from govhall.cases.services.joint import (
    joint_meeting_record,
    joint_proposal_submit,
    joint_tasks_start,
)
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.catalog.models import JointDepartmentDays, ServiceItem
from govhall.catalog.services.joint_days import item_joint_days_set
from govhall.core.models import Event, User
from govhall.org.models import Department, Window
from govhall.testing.cases import accepted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint_case(joint_item: ServiceItem, hall_window: Window) -> Any:
    # Clock starts after Tue 2025-09-30 (National Day: Oct 1-8 off, Sat Oct 11 a working day).
    return accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )


def test_catalog_sets_days_per_joint_department_and_checks_them(
    joint_item: ServiceItem,
    director: User,
    department: Department,
    other_department: Department,
    third_department: Department,
) -> None:
    item_joint_days_set(actor=director, item=joint_item, days={other_department.pk: 2})
    assert dict(
        JointDepartmentDays.objects.filter(item=joint_item).values_list("department_id", "days")
    ) == {other_department.pk: 2}
    assert Event.objects.filter(action="item.set_joint_days").count() == 1
    with pytest.raises(ValidationError):  # the lead department is not a joint department
        item_joint_days_set(actor=director, item=joint_item, days={department.pk: 2})
    with pytest.raises(ValidationError):
        item_joint_days_set(actor=director, item=joint_item, days={third_department.pk: 0})
    with pytest.raises(ValidationError):
        item_joint_days_set(
            actor=director, item=joint_item, days={third_department.pk: joint_item.legal_days + 1}
        )
    # None removes a department's own limit (it then follows the case's).
    item_joint_days_set(actor=director, item=joint_item, days={other_department.pk: None})
    assert not JointDepartmentDays.objects.filter(item=joint_item).exists()


def test_each_department_task_is_due_on_its_own_catalog_days(
    joint_case: Any,
    joint_item: ServiceItem,
    director: User,
    clerk: User,
    other_department: Department,
    third_department: Department,
) -> None:
    item_joint_days_set(actor=director, item=joint_item, days={other_department.pk: 2})
    tasks = joint_tasks_start(
        actor=clerk, case=joint_case, departments=[other_department, third_department], task_days=3
    )
    due = {t.department_id: t.due_on for t in tasks}
    # 2 working days after 2025-09-30: Oct 9, Oct 10; the default 3: … Sat Oct 11.
    assert due == {
        other_department.pk: datetime.date(2025, 10, 10),
        third_department.pk: datetime.date(2025, 10, 11),
    }


def test_the_meeting_needs_the_lead_windows_proposal_first(
    joint_case: Any,
    director: User,
    window_head: User,
    reviewer: User,
) -> None:
    held = timezone.now() - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError, match="proposal"):
        joint_meeting_record(
            actor=director,
            case=joint_case,
            held_at=held,
            participants="王某、李某",
            conclusions="同意",
        )
    with pytest.raises(ValidationError):  # not the lead window
        joint_proposal_submit(actor=reviewer, case=joint_case, text="建议联审")
    with pytest.raises(ValidationError):
        joint_proposal_submit(actor=window_head, case=joint_case, text="  ")
    proposal = joint_proposal_submit(
        actor=window_head, case=joint_case, text="建议由市场监管、不动产两部门联审，10月10日开会"
    )
    assert isinstance(proposal, JointProposal)
    assert [p.pk for p in proposals_of_case(joint_case)] == [proposal.pk]
    assert Event.objects.filter(action="case.submit_joint_proposal").count() == 1
    meeting = joint_meeting_record(
        actor=director,
        case=joint_case,
        held_at=held,
        participants="王某、李某",
        conclusions="同意",
    )
    assert meeting.proposal_id == proposal.pk


def test_the_catalog_item_page_sets_each_joint_departments_days(
    client_as: Any,
    director: User,
    joint_item: ServiceItem,
    other_department: Department,
    third_department: Department,
) -> None:
    from django.urls import reverse

    client = client_as(director)
    page = client.get(reverse("workbench:item", args=[joint_item.pk])).content.decode()
    assert 'id="joint-days-form"' in page
    url = reverse("workbench:item_joint_days", args=[joint_item.pk])
    client.post(url, {f"dept_{other_department.pk}": "2", f"dept_{third_department.pk}": ""})
    assert dict(
        JointDepartmentDays.objects.filter(item=joint_item).values_list("department_id", "days")
    ) == {other_department.pk: 2}
    page = client.get(reverse("workbench:item", args=[joint_item.pk])).content.decode()
    assert f'data-joint-days="{other_department.pk}"' in page
