"""Reading rosters: the month grid of duties and the monthly leader-visit check."""

from __future__ import annotations

import calendar as month_layout
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.staffing.models.roster import DutyAssignment, DutyKind, LeaderVisit
from govhall.workdays.queries.calendar import calendar_for

# 部门领导每月到窗口至少3次 (seeds/001…).
MIN_LEADER_VISITS_PER_MONTH = 3


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    return (
        datetime.date(year, month, 1),
        datetime.date(year, month, month_layout.monthrange(year, month)[1]),
    )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


@dataclass
class RosterDay:
    date: datetime.date
    is_workday: bool
    lunch: list[DutyAssignment] = field(default_factory=list)
    leader: list[DutyAssignment] = field(default_factory=list)


def department_leaders(center: Center) -> QuerySet[User]:
    """The department leaders of a center (a manager records a visit on their behalf)."""
    return User.objects.filter(staff__center=center, groups__name=Role.DEPT_LEADER.value)


def roster_month(center: Center, year: int, month: int) -> list[RosterDay]:
    """Every day of the month with its lunch duty and leader on duty (one query)."""
    first, last = month_bounds(year, month)
    calendar = calendar_for(center.pk)
    days = {
        first + datetime.timedelta(days=n): RosterDay(
            date=first + datetime.timedelta(days=n),
            is_workday=calendar.is_workday(first + datetime.timedelta(days=n)),
        )
        for n in range((last - first).days + 1)
    }
    duties = DutyAssignment.objects.filter(
        center=center, date__gte=first, date__lte=last
    ).select_related("user", "window")
    for duty in duties:
        day = days[duty.date]
        (day.lunch if duty.kind == DutyKind.LUNCH else day.leader).append(duty)
    return list(days.values())


def duties_of_center(center: Center, year: int, month: int) -> QuerySet[DutyAssignment]:
    first, last = month_bounds(year, month)
    return DutyAssignment.objects.filter(
        center=center, date__gte=first, date__lte=last
    ).select_related("user", "window")


def leader_visits_in(
    departments: QuerySet[Department], year: int, month: int
) -> QuerySet[LeaderVisit]:
    first, last = month_bounds(year, month)
    return LeaderVisit.objects.filter(
        department__in=departments,
        visited_at__gte=_local_midnight(first),
        visited_at__lt=_local_midnight(last + datetime.timedelta(days=1)),
    ).select_related("department", "leader")


def leader_visit_check(
    departments: QuerySet[Department], year: int, month: int
) -> QuerySet[Department]:
    """The departments annotated with `visit_count` in the month and `visits_ok` (≥ 3), in one
    query: the visit count is a correlated aggregate subquery."""
    first, last = month_bounds(year, month)
    counts = (
        LeaderVisit.objects.filter(
            department=OuterRef("pk"),
            visited_at__gte=_local_midnight(first),
            visited_at__lt=_local_midnight(last + datetime.timedelta(days=1)),
        )
        .order_by()
        .values("department")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        departments.filter(is_active=True)
        .annotate(
            visit_count=Coalesce(
                Subquery(counts, output_field=IntegerField()), Value(0), output_field=IntegerField()
            )
        )
        .select_related("center")
        .order_by("center__path", "code")
    )


def visits_ok(department: Department) -> bool:
    return int(getattr(department, "visit_count", 0)) >= MIN_LEADER_VISITS_PER_MONTH
