"""Demo electronic licences (issue 19 item 4): the licensing items are switched on, delivered
approvals get their licence (a denial none), 营业执照 of 食品经营许可 accepts the licence of
个体工商户设立登记; loading twice changes nothing."""

from __future__ import annotations

import pytest

from govhall.cases.models import ElectronicLicence
from govhall.cases.statuses import CaseStatus
from govhall.cli.demo.departments import COUNTY
from govhall.cli.demo.licences import load_demo_licences
from govhall.testing.cases import local, make_case
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    MaterialFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


def test_demo_licences_are_issued_once() -> None:
    center = CenterFactory(code=COUNTY.code, name=COUNTY.name)
    department = DepartmentFactory(center=center, code="SCJG", name="县市场监督管理局")
    sole = ServiceItemFactory(
        center=center, department=department, name="个体工商户设立登记", code="DEMO-SOLE"
    )
    food = ServiceItemFactory(
        center=center, department=department, name="食品经营许可", code="DEMO-FOOD"
    )
    licence_material = MaterialFactory(item=food, name="营业执照", position=1)
    delivered = {
        "status": CaseStatus.DELIVERED,
        "decided_at": local(2025, 9, 30),
        "delivered_at": local(2025, 10, 9),
    }
    approved = make_case(sole, None, **delivered)
    make_case(sole, None, reason="不符合条件", **delivered)  # a denial: no licence
    make_case(food, None, status=CaseStatus.ACCEPTED)  # not delivered: none yet
    assert load_demo_licences() == 1
    licence = ElectronicLicence.objects.get()
    assert licence.case == approved and licence.valid_until is None
    assert licence.valid_from.isoformat() == "2025-10-09"
    sole.refresh_from_db()
    food.refresh_from_db()
    assert sole.issues_licence and food.issues_licence and food.licence_valid_years == 5
    licence_material.refresh_from_db()
    assert licence_material.licence_item == sole
    assert load_demo_licences() == 0
    assert ElectronicLicence.objects.count() == 1
