"""Reads of service beyond the counter (issue 21 item 6): the month's overtime with totals per
person and per window, home visits by status, and the follow-up calls due."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from govhall.core.models import User
from govhall.frontdesk.models import HomeVisit, KeyProject, Overtime
from govhall.org.models import Window


@dataclass
class OvertimeMonth:
    month: datetime.date  # its first day
    records: list[Overtime]
    per_person: list[tuple[User, int, int, int]] = field(default_factory=list)
    per_window: list[tuple[Window, int, int, int]] = field(default_factory=list)
    total_minutes: int = 0
    total_tickets: int = 0


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def overtime_month(overtimes: QuerySet[Overtime], month: datetime.date) -> OvertimeMonth:
    """The ended overtime records of `month` (of a scoped query), with per person and per
    window: (who, times, minutes, tickets), most minutes first."""
    first, last = month_bounds(month)
    of_month = overtimes.filter(day__gte=first, day__lte=last, ended_at__isnull=False)
    records = list(
        of_month.select_related("window", "center", "started_by")
        .prefetch_related("staff")
        .order_by("-day", "window__number", "-started_at")
    )
    answer = OvertimeMonth(month=first, records=records)
    people: dict[int, list[int]] = {}
    users: dict[int, User] = {}
    windows: dict[int, list[int]] = {}
    window_rows: dict[int, Window] = {}
    for record in records:
        answer.total_minutes += record.minutes
        answer.total_tickets += record.tickets_served
        for person in record.staff.all():
            users[person.pk] = person
            row = people.setdefault(person.pk, [0, 0, 0])
            row[0] += 1
            row[1] += record.minutes
            row[2] += record.tickets_served
        window_rows[record.window_id] = record.window
        wrow = windows.setdefault(record.window_id, [0, 0, 0])
        wrow[0] += 1
        wrow[1] += record.minutes
        wrow[2] += record.tickets_served
    answer.per_person = sorted(
        ((users[pk], *row) for pk, row in people.items()),  # type: ignore[misc]
        key=lambda item: (-item[2], item[0].username),
    )
    answer.per_window = sorted(
        ((window_rows[pk], *row) for pk, row in windows.items()),  # type: ignore[misc]
        key=lambda item: (-item[2], item[0].number),
    )
    return answer


def overtime_minutes_of(user: User, month: datetime.date) -> tuple[int, int]:
    """(records, minutes) of `user`'s extended service in `month`: their monthly figures."""
    first, last = month_bounds(month)
    row = Overtime.objects.filter(
        staff=user, day__gte=first, day__lte=last, ended_at__isnull=False
    ).aggregate(n=Count("pk"), minutes=Sum("minutes"))
    return row["n"] or 0, row["minutes"] or 0


def visits_listed(visits: QuerySet[HomeVisit], status: str = "") -> QuerySet[HomeVisit]:
    rows = visits.select_related("center", "department").prefetch_related("assigned")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("requested_date", "id")


def projects_listed(
    projects: QuerySet[KeyProject], *, due_by: datetime.date | None = None
) -> QuerySet[KeyProject]:
    """Key projects, the soonest call first; `due_by`: only those due on or before it."""
    rows = projects.select_related("center", "department").annotate(calls_logged=Count("calls"))
    if due_by is not None:
        rows = rows.filter(is_active=True, next_call_due__lte=due_by)
    return rows.order_by("next_call_due", "name")
