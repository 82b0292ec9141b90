"""Demo online cases (issue 19 item 2): the demo citizen's joint online case waits for the
departments' parallel pre-review (one passed), and another waits for a supplement online."""

from __future__ import annotations

import pytest

from govhall.cases.models import Applicant, Case
from govhall.cases.statuses import CaseStatus, PrereviewStatus
from govhall.cli.demo.online_accounts import CITIZEN_PHONE
from govhall.cli.demo.online_cases import (
    KEY_JOINT,
    KEY_SUPPLEMENT,
    demo_online_case_summary,
    load_demo_online_cases,
)
from govhall.core.roles import Role
from govhall.testing.factories import DepartmentFactory, make_staff
from govhall.testing.online import make_account

pytestmark = pytest.mark.django_db


def test_demo_online_cases_load_once(county, case_item, full_item, applicant_data, clerk):
    assert load_demo_online_cases() == 0  # no demo citizen yet: nothing
    second = DepartmentFactory(center=county, code="WJ", name="县卫生健康局")
    case_item.joint_departments.add(second)
    for item in (case_item, full_item):
        item.online_available = True
        item.save(update_fields=["online_available"])
    make_staff(Role.CLERK, county, second, username="wj_clerk", window_staff=True)
    applicant = Applicant.objects.create(
        kind="person",
        name=applicant_data.name,
        id_number=applicant_data.id_number,
        phone=applicant_data.phone,
    )
    account = make_account(name=applicant.name, phone=CITIZEN_PHONE, id_number=applicant.id_number)
    account.applicant = applicant
    account.save(update_fields=["applicant"])
    assert load_demo_online_cases() == 2
    assert demo_online_case_summary() == {
        KEY_JOINT: CaseStatus.SUBMITTED,
        KEY_SUPPLEMENT: CaseStatus.AWAITING_SUPPLEMENT,
    }
    joint = Case.objects.get(idempotency_key=KEY_JOINT)
    statuses = dict(joint.prereview_tasks.values_list("department_id", "status"))
    assert statuses == {
        case_item.department_id: PrereviewStatus.PENDING,
        second.pk: PrereviewStatus.PASSED,
    }
    assert load_demo_online_cases() == 0
