"""Reading patrols: a round's windows, and the weekly summary (周汇总) of a center.

Entry points:
def round_windows(patrol_round) -> list[WindowCheck]
def weekly_summary(center, monday, *, visits, now) -> WeeklySummary
def week_start(day) -> date

The summary covers Monday to Sunday: per day and session the rounds done, or missed when a
working day's session ended without one; findings counted by checklist point, by window and by
department (a window serving several departments counts for each), and listed. `visits` is the
reader's scope (`access.patrols.patrol_visits_in_scope`): a department leader reads their own
department's windows only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.supervision.models import (
    PatrolCheck,
    PatrolFinding,
    PatrolRound,
    PatrolSession,
    PatrolVisit,
)
from govhall.supervision.services.patrol_missing import session_end
from govhall.workdays.queries.calendar import calendar_for


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WindowCheck:
    window: Window
    visit: PatrolVisit | None
    failed: int


def round_windows(patrol_round: PatrolRound) -> list[WindowCheck]:
    """The active windows of the round's center in number order, each with its visit (if
    checked) and how many points failed there."""
    visits = {
        visit.window_id: visit
        for visit in PatrolVisit.objects.filter(round=patrol_round).prefetch_related("findings")
    }
    windows = Window.objects.filter(center_id=patrol_round.center_id, is_active=True).order_by(
        "number"
    )
    return [
        WindowCheck(
            window=window,
            visit=visits.get(window.pk),
            failed=len(visits[window.pk].findings.all()) if window.pk in visits else 0,
        )
        for window in windows
    ]


@dataclass(frozen=True)
class SessionCell:
    rounds: int
    # "done", "missed", "pending" (not over yet) or "off" (not a working day)
    state: str


@dataclass(frozen=True)
class DayRow:
    day: datetime.date
    is_workday: bool
    morning: SessionCell
    afternoon: SessionCell


@dataclass(frozen=True)
class FindingRow:
    finding: PatrolFinding
    day: datetime.date
    session: str
    window: Window
    departments: str
    serving: str


@dataclass
class WeeklySummary:
    center: Center
    monday: datetime.date
    days: list[DayRow]
    by_point: list[tuple[str, str, int]]  # (point, label, count), every point in checklist order
    by_window: list[tuple[Window, int]]
    by_department: list[tuple[str, int]]
    findings: list[FindingRow]
    rounds_done: int = 0
    sessions_missed: int = 0
    windows_checked: int = 0

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def _cell(
    center: Center,
    day: datetime.date,
    session: str,
    count: int,
    workday: bool,
    now: datetime.datetime,
) -> SessionCell:
    if count:
        return SessionCell(count, "done")
    if not workday:
        return SessionCell(0, "off")
    if session_end(center, day, session) <= now:
        return SessionCell(0, "missed")
    return SessionCell(0, "pending")


def weekly_summary(
    center: Center,
    monday: datetime.date,
    *,
    visits: QuerySet[PatrolVisit],
    now: datetime.datetime | None = None,
) -> WeeklySummary:
    moment = now or timezone.now()
    sunday = monday + datetime.timedelta(days=6)
    calendar = calendar_for(center.pk)
    counts = Counter(
        PatrolRound.objects.filter(center=center, day__gte=monday, day__lte=sunday).values_list(
            "day", "session"
        )
    )
    days: list[DayRow] = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        workday = calendar.is_workday(day)
        days.append(
            DayRow(
                day=day,
                is_workday=workday,
                morning=_cell(
                    center, day, PatrolSession.MORNING, counts[(day, "morning")], workday, moment
                ),
                afternoon=_cell(
                    center,
                    day,
                    PatrolSession.AFTERNOON,
                    counts[(day, "afternoon")],
                    workday,
                    moment,
                ),
            )
        )
    week_visits = visits.filter(
        round__center=center, round__day__gte=monday, round__day__lte=sunday
    )
    findings = list(
        PatrolFinding.objects.filter(visit__in=week_visits)
        .select_related("visit", "visit__round", "visit__window")
        .prefetch_related("visit__window__departments")
        .order_by("visit__round__day", "visit__round__started_at", "visit__window__number", "id")
    )
    people_ids = {int(pk) for finding in findings for pk in finding.visit.serving}
    names = {user.pk: str(user.display_name) for user in User.objects.filter(pk__in=people_ids)}
    by_point = Counter(finding.point for finding in findings)
    by_window: Counter[int] = Counter()
    windows: dict[int, Window] = {}
    by_department: Counter[str] = Counter()
    rows: list[FindingRow] = []
    for finding in findings:
        window = finding.visit.window
        windows[window.pk] = window
        by_window[window.pk] += 1
        departments = [department.name for department in window.departments.all()]
        for name in departments:
            by_department[name] += 1
        rows.append(
            FindingRow(
                finding=finding,
                day=finding.visit.round.day,
                session=finding.visit.round.get_session_display(),
                window=window,
                departments="、".join(departments),
                serving="、".join(names.get(int(pk), "?") for pk in finding.visit.serving),
            )
        )
    cells = [cell for row in days for cell in (row.morning, row.afternoon)]
    return WeeklySummary(
        center=center,
        monday=monday,
        days=days,
        by_point=[(value, str(label), by_point[value]) for value, label in PatrolCheck.choices],
        by_window=sorted(
            ((windows[pk], count) for pk, count in by_window.items()),
            key=lambda item: (-item[1], item[0].number),
        ),
        by_department=sorted(by_department.items(), key=lambda item: (-item[1], item[0])),
        findings=rows,
        rounds_done=sum(cell.rounds for cell in cells),
        sessions_missed=sum(1 for cell in cells if cell.state == "missed"),
        windows_checked=week_visits.count(),
    )
