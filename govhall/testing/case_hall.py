"""A small hall for case tests, on top of the standard fixtures of govhall/conftest.py.

Registered for every test by the repository's top-level conftest.py (pytest_plugins), so the
case, front-desk, workbench and API tests use the same hall without importing fixtures.

- `hall_window`: window 1 of `county`, serving `department`; `clerk` holds its post as A and a
  second clerk (`clerk_b`) as B; `window_head` heads it.
- `case_item`: an item of `department` (20 legal / 5 promised working days) with two main
  materials and one attachment, one fee (¥10 standard), served by `hall_window` with PARTIAL
  authorization (the window reviews, the department's approver approves).
- `full_item` (FULL: the window decides) and `limited_item` (LIMITED: the window forwards to the
  back-office reviewer) on the same window.
- `joint_item`: led by `department`, joined by `other_department` and `third_department`.
- `escalated_item`: decided at city level; `city` is the parent of `county`.
- `applicant_data`: a valid person (ID number with a correct check digit, mobile phone).
- `all_received(item)`: MaterialChecks with every material of `item` received.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhall.cases.services.intake import ApplicantData, MaterialCheck
from govhall.catalog.models import Authorization, ServiceItem
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Window
from govhall.org.models.centers import CenterLevel
from govhall.org.services.centers import center_update
from govhall.testing.cases import ENTERPRISE_USCC, PERSON_ID
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    PostFactory,
    ServiceItemFactory,
    WindowFactory,
    make_staff,
)
from govhall.testing.sign_in import cover_ignores_sign_in


@pytest.fixture
def city(db: None) -> Center:
    return CenterFactory(code="330000", name="示例市政务服务中心", level=CenterLevel.CITY)


@pytest.fixture
def county_in_city(county: Center, city: Center) -> Center:
    center_update(actor=None, center=county, parent=city)
    county.refresh_from_db()
    return county


@pytest.fixture
def third_department(county: Center) -> Department:
    return DepartmentFactory(center=county, code="ZJ", name="县住房和城乡建设局")


@pytest.fixture
def clerk_b(county: Center, department: Department) -> User:
    return make_staff(Role.CLERK, county, department, username="clerk_b", window_staff=True)


@pytest.fixture
def hall_window(
    county: Center,
    department: Department,
    clerk: User,
    clerk_b: User,
    window_head: User,
    settings: Any,
) -> Window:
    cover_ignores_sign_in(settings)  # the hall's staff are at their posts on any test day
    window = WindowFactory(center=county, number=1, name="市场准入窗口", head=window_head)
    window.departments.add(department)
    PostFactory(window=window, name="受理岗", a_staff=clerk, b_staff=clerk_b)
    return window


def _item(
    county: Center, department: Department, window: Window, authorization: str, **fields: object
) -> ServiceItem:
    item = ServiceItemFactory(center=county, department=department, **fields)
    MaterialFactory(item=item, name="申请书", is_main=True, position=1)
    MaterialFactory(item=item, name="身份证明", is_main=True, position=2)
    MaterialFactory(item=item, name="场所使用证明", is_main=False, position=3)
    FeeItemFactory(item=item)
    ItemWindowFactory(item=item, window=window, authorization=authorization)
    return item  # type: ignore[no-any-return]


@pytest.fixture
def case_item(county: Center, department: Department, hall_window: Window) -> ServiceItem:
    return _item(
        county, department, hall_window, Authorization.PARTIAL, name="食品经营许可", code="ITEM-P"
    )


@pytest.fixture
def full_item(county: Center, department: Department, hall_window: Window) -> ServiceItem:
    return _item(
        county, department, hall_window, Authorization.FULL, name="营业执照补领", code="ITEM-F"
    )


@pytest.fixture
def immediate_item(county: Center, department: Department, hall_window: Window) -> ServiceItem:
    return _item(
        county,
        department,
        hall_window,
        Authorization.FULL,
        name="个体户名称变更",
        code="ITEM-I",
        on_the_spot=True,
        legal_days=5,
        promised_days=0,
    )


@pytest.fixture
def limited_item(county: Center, department: Department, hall_window: Window) -> ServiceItem:
    return _item(
        county, department, hall_window, Authorization.LIMITED, name="药品经营许可", code="ITEM-L"
    )


@pytest.fixture
def joint_item(
    county: Center,
    department: Department,
    other_department: Department,
    third_department: Department,
    hall_window: Window,
) -> ServiceItem:
    item = _item(
        county, department, hall_window, Authorization.PARTIAL, name="餐饮开办联办", code="ITEM-J"
    )
    item.joint_departments.add(other_department, third_department)
    return item


@pytest.fixture
def escalated_item(
    county_in_city: Center, department: Department, hall_window: Window
) -> ServiceItem:
    return _item(
        county_in_city,
        department,
        hall_window,
        Authorization.LIMITED,
        name="省级许可初审转报",
        code="ITEM-E",
        deciding_level=CenterLevel.CITY,
    )


@pytest.fixture
def applicant_data() -> ApplicantData:
    return ApplicantData(kind="person", name="张三丰", id_number=PERSON_ID, phone="13812345678")


@pytest.fixture
def enterprise_data() -> ApplicantData:
    return ApplicantData(
        kind="enterprise",
        name="示例科技有限公司",
        id_number=ENTERPRISE_USCC,
        phone="13900001111",
        legal_representative="李四",
        contact_name="王五",
    )


@pytest.fixture
def all_received() -> Callable[[ServiceItem], list[MaterialCheck]]:
    def _checks(item: ServiceItem) -> list[MaterialCheck]:
        return [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]

    return _checks
