"""The public summary of on-time rates (按时办结率) by department of a center: cases decided this
month and last month, how many on or before their promised deadline, and the rate. Figures only,
no names, numbers or people. One GROUP BY query per center and month; the portal caches it.

A case counts in the month it was decided (`decided_at`, local time); it is on time when decided
on or before `promised_due_on` (a case without a promised deadline, such as an immediate one, is
on time). Voided and withdrawn cases are not counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.org.models import Center, Department

NOT_COUNTED = (CaseStatus.VOIDED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class MonthFigures:
    finished: int = 0
    on_time: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Percent with one decimal; None when nothing was finished."""
        if not self.finished:
            return None
        return (Decimal(100 * self.on_time) / Decimal(self.finished)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class DepartmentRates:
    department_id: int
    name: str
    this_month: MonthFigures
    last_month: MonthFigures


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def _month_figures(center: Center, first: datetime.date) -> dict[int, MonthFigures]:
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    rows = (
        Case.objects.filter(
            center=center,
            decided_at__gte=_aware(first),
            decided_at__lt=_aware(following),
        )
        .exclude(status__in=NOT_COUNTED)
        .annotate(decided_on=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("department_id")
        .annotate(
            finished=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(promised_due_on__isnull=True) | Q(decided_on__lte=F("promised_due_on")),
            ),
        )
    )
    return {department: MonthFigures(n, ok) for department, n, ok in rows}


def on_time_rates(center: Center, today: datetime.date) -> list[DepartmentRates]:
    """Every active department of `center`, with this month's and last month's figures."""
    this_first = month_start(today)
    this = _month_figures(center, this_first)
    last = _month_figures(center, previous_month(this_first))
    departments = Department.objects.filter(
        Q(is_active=True) | Q(pk__in=set(this) | set(last)), center=center
    ).order_by("code")
    return [
        DepartmentRates(
            department_id=department.pk,
            name=department.name,
            this_month=this.get(department.pk, MonthFigures()),
            last_month=last.get(department.pk, MonthFigures()),
        )
        for department in departments
    ]
