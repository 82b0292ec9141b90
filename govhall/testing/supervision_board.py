"""Supervision board and notice tests: alerts put straight into the table (no scan), and a small
hall across a county and one of its towns with open, overdue, suspended and closed cases."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.org.models import Center, Department, Window
from govhall.supervision.models import Alert, AlertRule
from govhall.testing.cases import make_case
from govhall.testing.factories import DepartmentFactory, ServiceItemFactory, WindowFactory

# One default rule per level (migrations 0002 and 0004).
RULE_OF_LEVEL = {
    "reminder": "case_deadline.reminder",
    "yellow": "case_deadline.yellow",
    "red": "case_deadline.red",
    "serious": "case_fee.serious",
}
_subjects = itertools.count(1)


def put_alert(
    level: str,
    center: Center,
    *,
    department: Department | None = None,
    window: Window | None = None,
    case: Case | None = None,
    responsible: User | None = None,
    withdrawn: bool = False,
    **fields: Any,
) -> Alert:
    rule = AlertRule.objects.get(code=RULE_OF_LEVEL[level])
    now = timezone.now()
    return Alert.objects.create(
        rule=rule,
        level=level,
        subject_key=f"test:{next(_subjects)}",
        center=center,
        department=department,
        window=window,
        case=case,
        responsible=responsible,
        occurred_on=timezone.localdate(),
        detail=f"{level} test alert",
        raised_at=now,
        withdrawn_at=now if withdrawn else None,
        points=rule.points,
        is_violation=rule.counts_as_violation,
        batch="test",
        **fields,
    )


def open_case(
    item: ServiceItem,
    window: Window | None,
    *,
    overdue: bool = False,
    status: str = CaseStatus.ACCEPTED,
) -> Case:
    today = timezone.localdate()
    due = today - datetime.timedelta(days=1) if overdue else today + datetime.timedelta(days=5)
    return make_case(item, window, status=status, promised_due_on=due, legal_due_on=due)


@dataclass
class BoardHall:
    """County: `window` (department, headed by window_head) and `window2` (other_department);
    town: `town_window` of `town_department`; and another county with one case."""

    window: Window
    window2: Window
    town_department: Department
    town_window: Window
    item: ServiceItem
    item2: ServiceItem
    town_item: ServiceItem
    cases: dict[str, Case]
    alerts: dict[str, Alert]


def build_board_hall(
    *,
    county: Center,
    town: Center,
    other_county: Center,
    department: Department,
    other_department: Department,
    window: Window,
    item: ServiceItem,
    clerk: User,
) -> BoardHall:
    window2 = WindowFactory(center=county, number=2, name="不动产窗口")
    window2.departments.add(other_department)
    town_department = DepartmentFactory(center=town, code="ZMZ", name="镇民政办")
    town_window = WindowFactory(center=town, number=1, name="综合窗口")
    town_window.departments.add(town_department)
    item2 = ServiceItemFactory(center=county, department=other_department, name="不动产登记")
    town_item = ServiceItemFactory(center=town, department=town_department, name="低保申请")
    far_item = ServiceItemFactory(center=other_county, name="别县事项")
    cases = {
        "running": open_case(item, window),
        "overdue": open_case(item, window, overdue=True, status=CaseStatus.IN_REVIEW),
        "suspended": open_case(item, window, overdue=True, status=CaseStatus.SUSPENDED),
        "delivered": open_case(item, window, overdue=True, status=CaseStatus.DELIVERED),
        "other_dept_overdue": open_case(item2, window2, overdue=True),
        "town": open_case(town_item, town_window),
        "far": open_case(far_item, None, overdue=True),
    }
    alerts = {
        "reminder1": put_alert(
            "reminder",
            county,
            department=department,
            window=window,
            case=cases["running"],
            responsible=clerk,
        ),
        "reminder2": put_alert(
            "reminder", county, department=department, window=window, responsible=clerk
        ),
        "red": put_alert(
            "red",
            county,
            department=department,
            window=window,
            case=cases["overdue"],
            responsible=clerk,
        ),
        "withdrawn": put_alert(
            "yellow", county, department=department, window=window, withdrawn=True
        ),
        "other_dept_yellow": put_alert(
            "yellow", county, department=other_department, window=window2
        ),
        "center_serious": put_alert("serious", county),
        "town_red": put_alert(
            "red", town, department=town_department, window=town_window, case=cases["town"]
        ),
        "far_red": put_alert("red", other_county, case=cases["far"]),
    }
    return BoardHall(
        window=window,
        window2=window2,
        town_department=town_department,
        town_window=town_window,
        item=item,
        item2=item2,
        town_item=town_item,
        cases=cases,
        alerts=alerts,
    )
