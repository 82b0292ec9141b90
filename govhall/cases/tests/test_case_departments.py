"""The departments involved in each case (issue 20 item 5): written by intake (window, online,
bundles) and joint review, filled for old cases by the migration, and the one rule of "a
department's cases" the lists read answers what the old OR over the task tables answered."""

from __future__ import annotations

import datetime
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from govhall.cases.access import cases as access_cases
from govhall.cases.access.cases import cases_in_scope
from govhall.cases.models import Case, CaseDepartment, JointTask, PrereviewTask
from govhall.cases.queries.cases import (
    DUE_NEAR,
    DUE_OVERDUE,
    STATE_ALL,
    CaseFilters,
    case_list,
    inbox_counts,
)
from govhall.cases.services.bundles import case_bundle_receive
from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_receive
from govhall.cases.services.joint import joint_tasks_start
from govhall.cases.services.prereview import prereview_tasks_open
from govhall.cases.statuses import CaseKind, CaseStatus, Channel
from govhall.catalog.models import ServiceItem
from govhall.catalog.services.bundles import bundle_save
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Window
from govhall.testing.cases import accepted_case, make_case
from govhall.testing.factories import ServiceItemFactory, make_staff
from govhall.testing.online_cases import joint_online_case

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "govhall.cases.migrations.0010_issue20_case_departments"
).backfill_case_departments


def involved(*cases: Case) -> set[tuple[int, int, bool]]:
    return set(
        CaseDepartment.objects.filter(case__in=cases).values_list(
            "case_id", "department_id", "is_lead"
        )
    )


def all_checks(item: ServiceItem) -> list[MaterialCheck]:
    return [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]


def test_window_intake_records_the_case_department_as_lead(
    case_item: ServiceItem, hall_window: Window, clerk: User, applicant_data: ApplicantData
) -> None:
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_checks(case_item),
        outcome="promised",
    )
    assert involved(case) == {(case.pk, case_item.department_id, True)}


def test_joint_review_adds_the_participating_departments_who_then_see_the_case(
    joint_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    county: Center,
    department: Department,
    other_department: Department,
    third_department: Department,
) -> None:
    case = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    other = make_staff(Role.REVIEWER, county, other_department, username="bdc_r")
    assert not cases_in_scope(other).filter(pk=case.pk).exists()
    joint_tasks_start(
        actor=clerk, case=case, departments=[other_department, third_department], task_days=3
    )
    assert involved(case) == {
        (case.pk, department.pk, True),
        (case.pk, other_department.pk, False),
        (case.pk, third_department.pk, False),
    }
    assert cases_in_scope(other).filter(pk=case.pk).exists()


def test_bundle_intake_records_each_case_department(
    county: Center,
    case_item: ServiceItem,
    full_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    applicant_data: ApplicantData,
) -> None:
    bundle = bundle_save(
        actor=None,
        center=county,
        data={"code": "YJS-CD", "name": "开办餐馆", "promised_days": 3},
        item_ids=[case_item.pk, full_item.pk],
    )
    application, _created = case_bundle_receive(
        actor=clerk,
        bundle=bundle,
        window=hall_window,
        applicant=applicant_data,
        materials=all_checks(case_item),
    )
    cases = list(Case.objects.filter(bundle=application))
    assert len(cases) == 2
    assert involved(*cases) == {(c.pk, c.department_id, True) for c in cases}


def test_online_submission_records_the_lead_and_the_pre_reviewing_departments(
    county: Center, case_item: ServiceItem, applicant_data: ApplicantData
) -> None:
    ServiceItem.objects.filter(pk=case_item.pk).update(online_available=True)
    case_item.refresh_from_db()
    joint = joint_online_case(county, case_item, applicant_data)
    case = joint.case
    assert involved(case) == {
        (case.pk, case.department_id, True),
        (case.pk, joint.second.pk, False),
        (case.pk, joint.third.pk, False),
    }


def test_the_migration_fills_the_table_for_existing_cases(
    joint_item: ServiceItem,
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    other_department: Department,
    third_department: Department,
) -> None:
    joint = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    joint_tasks_start(actor=clerk, case=joint, departments=[other_department], task_days=3)
    online = make_case(joint_item, hall_window, status=CaseStatus.SUBMITTED, channel="online")
    prereview_tasks_open(case=online)
    plain = make_case(case_item, hall_window)
    expected = involved(joint, online, plain)
    assert len(expected) == 2 + 3 + 1
    CaseDepartment.objects.all().delete()
    with connection.cursor() as cursor:
        backfill(apps, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert set(CaseDepartment.objects.values_list("case_id", "department_id", "is_lead")) == (
        expected
    )


def _old_department_cases(department_id: int) -> Q:
    """The rule before issue 20: the case's department OR a joint task OR a pre-review task."""
    has_task = Exists(JointTask.objects.filter(case=OuterRef("pk"), department_id=department_id))
    has_prereview = Exists(
        PrereviewTask.objects.filter(case=OuterRef("pk"), department_id=department_id)
    )
    return Q(department_id=department_id) | has_task | has_prereview


def test_department_lists_answer_the_cases_of_the_old_rule(
    county: Center,
    hall_window: Window,
    clerk: User,
    department: Department,
    other_department: Department,
    third_department: Department,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(20)
    departments = [department, other_department, third_department]
    items = []
    for n, lead in enumerate(departments):
        item = ServiceItemFactory(
            center=county, department=lead, code=f"CD-{n}", online_available=True
        )
        item.joint_departments.add(*rng.sample([d for d in departments if d != lead], k=n % 2 + 1))
        items.append(item)
    today = datetime.date(2025, 10, 13)
    for _ in range(24):
        item = rng.choice(items)
        due = today + datetime.timedelta(days=rng.randint(-3, 3))
        if rng.random() < 0.3:
            case = make_case(item, hall_window, status=CaseStatus.SUBMITTED, channel="online")
            assert case.channel == Channel.ONLINE
            prereview_tasks_open(case=case)
            continue
        case = accepted_case(item, hall_window, status=CaseStatus.IN_REVIEW, promised_due_on=due)
        others = [d for d in departments if d.pk != item.department_id]
        if rng.random() < 0.5:
            joint_tasks_start(
                actor=clerk, case=case, departments=rng.sample(others, k=1), task_days=3
            )
    lists = [CaseFilters(state=STATE_ALL, due=due) for due in ("", DUE_NEAR, DUE_OVERDUE)]
    for n, own in enumerate(departments):
        reader = make_staff(Role.REVIEWER, county, own, username=f"cd_reader{n}")

        def answers(reader: User = reader) -> tuple[list[set[int]], dict[str, int]]:
            found = [set(case_list(reader, f, today).values_list("pk", flat=True)) for f in lists]
            return found, inbox_counts(reader, today)

        new = answers()
        with monkeypatch.context() as patch:
            patch.setattr(access_cases, "department_cases", _old_department_cases)
            old = answers()
        assert new == old
        assert new[0][0]  # every department has cases here
