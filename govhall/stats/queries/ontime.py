"""The public summary of on-time rates (按时办结率) by department of a center: the cases completed
this month and last month, how many on time, and the rate. Figures only, no names, numbers or
people; the portal's /on-time/ page caches it.

The rule is THE on-time rule of `govhall.stats.figures` (completed: decided and neither voided
nor withdrawn, on the local day of the decision; on time: on or before the promised deadline,
the due day included; no deadline is on time), read from the daily rollups through
`figure_sums` like the case figures, the period reports and the big screen: the four always
agree. Two rollup queries per center (one per month) and one for the departments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from govhall.org.models import Center, Department
from govhall.stats.access.stats import StatsScope
from govhall.stats.figures import share
from govhall.stats.queries.figures import figure_sums, period_bounds


@dataclass(frozen=True)
class MonthFigures:
    finished: int = 0
    on_time: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Percent with one decimal, exactly the figures' `on_time_rate`
        (`govhall.stats.figures.share`); None when nothing was completed."""
        value = share(self.on_time, self.finished)
        return None if value is None else Decimal(str(value))


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


def department_on_time(
    center: Center, first: datetime.date, last: datetime.date
) -> dict[int, MonthFigures]:
    """Completed and on-time cases of `center`'s own departments over [first, last]: THE query
    of the on-time rule outside the figures page (the public page and the big screen)."""
    scope = StatsScope(centers=Center.objects.filter(pk=center.pk), department_id=None)
    sums = figure_sums(scope, first, last, dimension="department")
    return {
        int(key): MonthFigures(int(row.get("completed") or 0), int(row.get("on_time") or 0))
        for key, row in sums.items()
        if key is not None and row.get("completed")
    }


def on_time_rates(center: Center, today: datetime.date) -> list[DepartmentRates]:
    """Every active department of `center` (and any that completed cases), with this month's
    and last month's figures."""
    this_first = month_start(today)
    this = department_on_time(center, *period_bounds("month", this_first))
    last = department_on_time(center, *period_bounds("month", previous_month(this_first)))
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
