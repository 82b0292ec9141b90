"""The live supervision board (监察看板): open cases whose clock runs, by center, department and
window, with the live alerts by level and the overdue cases — every figure answered by two
GROUP BY queries over the board's scope (`access.board.board_scope`), however big the subtree,
plus one query each for the names of the centers, departments and windows shown.

A row's key is (center, department, window); `None` stands for "no department" (an alert of the
center as a whole) or "no window". The drill-down lists (`board_cases`, `board_alerts`) take the
same key and the same scope, so a number and the list behind it always agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
from govhall.cases.models import Case, CaseQuerySet
from govhall.org.models import Center, Department, Window
from govhall.supervision.access.board import BoardScope
from govhall.supervision.models import Alert, AlertLevel, AlertQuerySet

LEVELS: tuple[str, ...] = tuple(AlertLevel.values)  # reminder, yellow, red, serious


@dataclass
class Tally:
    """The figures of one line of the board."""

    open: int = 0
    overdue: int = 0
    alerts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def add(self, other: Tally) -> None:
        self.open += other.open
        self.overdue += other.overdue
        for level, count in other.alerts.items():
            self.alerts[level] += count

    @property
    def levels(self) -> list[tuple[str, int]]:
        return [(level, self.alerts[level]) for level in LEVELS]

    @property
    def empty(self) -> bool:
        return not (self.open or self.overdue or any(self.alerts.values()))


@dataclass
class WindowLine:
    window: Window | None
    tally: Tally
    query: str = ""  # the drill-down's query string (center=…&department=…&window=…)


@dataclass
class DepartmentLine:
    department: Department | None
    query: str = ""
    tally: Tally = field(default_factory=Tally)
    windows: list[WindowLine] = field(default_factory=list)


@dataclass
class CenterLine:
    center: Center
    query: str = ""
    tally: Tally = field(default_factory=Tally)
    departments: list[DepartmentLine] = field(default_factory=list)


@dataclass
class Board:
    today: datetime.date
    centers: list[CenterLine]
    total: Tally


Key = tuple[int, int | None, int | None]


def running_cases(scope: BoardScope) -> CaseQuerySet:
    return Case.objects.filter(scope.filter(), status__in=CLOCK_RUNNING_STATUSES)


def live_alerts(scope: BoardScope) -> AlertQuerySet:
    return Alert.objects.live().filter(scope.filter())


def supervision_board(scope: BoardScope, today: datetime.date) -> Board:
    tallies: dict[Key, Tally] = {}
    case_rows = (
        running_cases(scope)
        .order_by()
        .values_list("center_id", "department_id", "window_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(promised_due_on__lt=today)),
        )
    )
    for center_id, department_id, window_id, n, late in case_rows:
        tally = tallies.setdefault((center_id, department_id, window_id), Tally())
        tally.open += n
        tally.overdue += late
    alert_rows = (
        live_alerts(scope)
        .order_by()
        .values_list("center_id", "department_id", "window_id", "level")
        .annotate(n=Count("pk"))
    )
    for center_id, department_id, window_id, level, n in alert_rows:
        tally = tallies.setdefault((center_id, department_id, window_id), Tally())
        tally.alerts[level] = tally.alerts.get(level, 0) + n
    return _arrange(scope, tallies, today)


def _arrange(scope: BoardScope, tallies: dict[Key, Tally], today: datetime.date) -> Board:
    whole = scope.department_id is None and scope.window_ids is None
    center_ids = {key[0] for key in tallies}
    centers = scope.centers.order_by("path")
    centers = centers.filter(
        Q(is_active=True) | Q(pk__in=center_ids) if whole else Q(pk__in=center_ids)
    )
    department_ids = {key[1] for key in tallies if key[1] is not None}
    window_ids = {key[2] for key in tallies if key[2] is not None}
    departments = Department.objects.in_bulk(department_ids)
    windows = Window.objects.in_bulk(window_ids)

    by_center: dict[int, dict[int | None, list[tuple[int | None, Tally]]]] = {}
    for (center_id, department_id, window_id), tally in tallies.items():
        by_center.setdefault(center_id, {}).setdefault(department_id, []).append((window_id, tally))

    total = Tally()
    lines: list[CenterLine] = []
    for center in centers:
        line = CenterLine(center=center, query=f"center={center.pk}")
        groups = by_center.get(center.pk, {})
        for department_id in _department_order(groups, departments):
            department_line = DepartmentLine(
                department=departments.get(department_id) if department_id else None,
                query=f"{line.query}&department={department_id or 0}",
            )
            rows = groups[department_id]
            rows.sort(key=lambda row: _window_sort(windows.get(row[0]) if row[0] else None))
            for window_id, tally in rows:
                department_line.windows.append(
                    WindowLine(
                        window=windows.get(window_id) if window_id else None,
                        tally=tally,
                        query=f"{department_line.query}&window={window_id or 0}",
                    )
                )
                department_line.tally.add(tally)
            line.departments.append(department_line)
            line.tally.add(department_line.tally)
        total.add(line.tally)
        lines.append(line)
    return Board(today=today, centers=lines, total=total)


def _department_order(
    groups: dict[int | None, list[tuple[int | None, Tally]]], departments: dict[int, Department]
) -> list[int | None]:
    def key(department_id: int | None) -> tuple[int, str]:
        if department_id is None:
            return (1, "")
        department = departments.get(department_id)
        return (0, department.code if department else "")

    return sorted(groups, key=key)


def _window_sort(window: Window | None) -> tuple[int, int]:
    return (1, 0) if window is None else (0, window.number)


# --- the lists behind the numbers ----------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """Which figure of the board was opened: a line (center, department, window; 0 = none) and
    what was counted there (overdue cases, or alerts of one level)."""

    center_id: int | None = None
    department_id: int | None = None  # 0: no department
    window_id: int | None = None  # 0: no window
    overdue: bool = False
    level: str = ""

    @classmethod
    def from_query(cls, query: object) -> Drill:
        def number(name: str) -> int | None:
            raw = str(query.get(name) or "").strip()  # type: ignore[attr-defined]
            return int(raw) if raw.isdigit() and len(raw) < 12 else None

        level = str(query.get("level") or "").strip()  # type: ignore[attr-defined]
        return cls(
            center_id=number("center"),
            department_id=number("department"),
            window_id=number("window"),
            overdue=str(query.get("due") or "") == "overdue",  # type: ignore[attr-defined]
            level=level if level in LEVELS else "",
        )

    def narrow(self) -> Q:
        condition = Q()
        if self.center_id is not None:
            condition &= Q(center_id=self.center_id)
        if self.department_id is not None:
            condition &= (
                Q(department__isnull=True)
                if self.department_id == 0
                else Q(department_id=self.department_id)
            )
        if self.window_id is not None:
            condition &= (
                Q(window__isnull=True) if self.window_id == 0 else Q(window_id=self.window_id)
            )
        return condition

    def query(self, **extra: object) -> str:
        """The query string of this drill-down (for links)."""
        parts = []
        for name, value in (
            ("center", self.center_id),
            ("department", self.department_id),
            ("window", self.window_id),
        ):
            if value is not None:
                parts.append(f"{name}={value}")
        if self.overdue:
            parts.append("due=overdue")
        if self.level:
            parts.append(f"level={self.level}")
        parts.extend(f"{name}={value}" for name, value in extra.items())
        return "&".join(parts)


def board_cases(scope: BoardScope, drill: Drill, today: datetime.date) -> CaseQuerySet:
    cases = running_cases(scope).filter(drill.narrow())
    if drill.overdue:
        cases = cases.filter(promised_due_on__lt=today)
    return cases.select_related("item", "department", "window", "center").order_by(
        "promised_due_on", "received_at", "id"
    )


def board_alerts(scope: BoardScope, drill: Drill) -> AlertQuerySet:
    alerts = live_alerts(scope).filter(drill.narrow())
    if drill.level:
        alerts = alerts.filter(level=drill.level)
    return alerts.select_related(
        "rule", "case", "center", "department", "window", "responsible"
    ).order_by("-raised_at", "-id")
