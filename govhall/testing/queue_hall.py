"""A queue hall for front-desk tests, on top of govhall/conftest.py and the case hall
(`case_hall.py`); registered for every test by the top-level conftest.py (pytest_plugins).

- `queue_groups`: group A (市场监管, `department`) called by `hall_window` (window 1) and group B
  (不动产, `other_department`) called by `second_window` (window 2); window 1 also calls B.
- `second_window`: window 2 of `county`, with `clerk_two` as A staff.
- `hall_open`: queue and appointment hours are not enforced (tests choose their own times).
"""

from __future__ import annotations

from typing import Any

import pytest

from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup
from govhall.org.models import Center, Department, Window
from govhall.testing.factories import (
    ItemWindowFactory,
    PostFactory,
    ServiceItemFactory,
    WindowFactory,
    make_staff,
)
from govhall.testing.sign_in import cover_ignores_sign_in


@pytest.fixture
def hall_open(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GOVHALL_QUEUE_ENFORCE_HOURS = False


@pytest.fixture
def clerk_two(county: Center, other_department: Department) -> User:
    return make_staff(Role.CLERK, county, other_department, username="clerk_two", window_staff=True)


@pytest.fixture
def second_window(
    county: Center,
    other_department: Department,
    clerk_two: User,
    settings: Any,
) -> Window:
    cover_ignores_sign_in(settings)  # see `case_hall.hall_window`
    window = WindowFactory(center=county, number=2, name="不动产窗口")
    window.departments.add(other_department)
    PostFactory(window=window, name="受理岗", a_staff=clerk_two)
    return window


@pytest.fixture
def queue_groups(
    county: Center,
    department: Department,
    other_department: Department,
    hall_window: Window,
    second_window: Window,
) -> dict[str, ServiceGroup]:
    group_a = ServiceGroup.objects.create(
        center=county, letter="A", name="市场监管", department=department, position=0
    )
    group_b = ServiceGroup.objects.create(
        center=county, letter="B", name="不动产", department=other_department, position=1
    )
    group_a.windows.set([hall_window])
    group_b.windows.set([hall_window, second_window])
    return {"A": group_a, "B": group_b}


@pytest.fixture
def queue_matters(
    queue_groups: dict[str, ServiceGroup],
    county: Center,
    other_department: Department,
    hall_window: Window,
    second_window: Window,
) -> dict[str, Any]:
    """Group B serves two 不动产 items (issue 17 item 1): 抵押登记 accepted only at window 2,
    不动产查询 at windows 1 and 2 (catalog item-window links)."""
    mortgage: ServiceItem = ServiceItemFactory.create(
        center=county, department=other_department, name="抵押登记"
    )
    lookup: ServiceItem = ServiceItemFactory.create(
        center=county, department=other_department, name="不动产查询"
    )
    ItemWindowFactory(item=mortgage, window=second_window)
    ItemWindowFactory(item=lookup, window=second_window)
    ItemWindowFactory(item=lookup, window=hall_window)
    queue_groups["B"].items.set([mortgage, lookup])
    return {"mortgage": mortgage, "lookup": lookup, "B": queue_groups["B"]}
