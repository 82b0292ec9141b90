"""Case figures per period × dimension (issue 18 item 1), read from the daily rollups.

Public entry points (used by the stats page and API, the period reports and the big screen):

- `period_bounds(period, anchor)` → (first, last) inclusive local days of the day, ISO week,
  month, quarter or year holding `anchor`;
- `previous_period(first, last, period)` (环比) and `year_before(first, last)` (同比);
- `figure_sums(scope, first, last, dimension=..., filters=...)` → {group key: sums}, the raw
  sums (rollup counters, ratings_total/good/bad, complaints) per group;
- `figure_table(scope, first, last, dimension=..., filters=..., period=...)` → `FigureTable`:
  labelled rows with every figure's value (`govhall.stats.figures`), the total, and the
  totals of the previous period and of the same period a year before;
- `drill_params(...)` → the case list's query parameters behind a number.

`scope` is `govhall.stats.access.stats.stats_scope(user)`: every query is limited to its
centers (and department). The number of queries is fixed (three per period: rollups,
ratings, complaints, plus one for the row labels), whatever the data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from govhall.cases.statuses import CaseKind, Channel
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.feedback.models import Complaint, Rating
from govhall.feedback.queries.rating_figures import BAD, GOOD
from govhall.org.models import Center, Department, Window
from govhall.stats.access.stats import StatsScope
from govhall.stats.figures import FIGURES, evaluate
from govhall.stats.models import CaseDayRollup
from govhall.stats.models.rollups import COUNTERS
from govhall.workdays.queries.calendar import day_start

PERIODS = ("day", "week", "month", "quarter", "year", "range")
DIMENSIONS = (
    "total",
    "center",
    "department",
    "window",
    "staff",
    "item",
    "kind",
    "channel",
    "day",
    "month",
)
# The longest range a query reads (a generous decade; larger ranges are refused by callers).
MAX_RANGE_DAYS = 3700

# dimension → (rollup field, rating field, complaint field); None: not a dimension of that table.
_FIELDS: dict[str, tuple[str | None, str | None, str | None]] = {
    "total": (None, None, None),
    "center": ("center_id", "center_id", "center_id"),
    "department": ("department_id", "department_id", "target_department_id"),
    "window": ("window_id", "window_id", "target_window_id"),
    "staff": ("staff_id", "staff_id", "target_staff_id"),
    "item": ("item_id", "item_id", None),
    "kind": ("kind", None, None),
    "channel": ("channel", None, None),
    "day": ("day", "rated_at", "received_at"),
    "month": ("day", "rated_at", "received_at"),
}
Key = Any  # None (total), an id, a code or a date


@dataclass(frozen=True)
class FigureFilters:
    """Narrowing of the figures (all optional). `center_id` means that center's subtree."""

    center_id: int | None = None
    department_id: int | None = None
    window_id: int | None = None
    staff_id: int | None = None
    item_id: int | None = None
    kind: str = ""
    channel: str = ""

    @classmethod
    def from_query(cls, query: Any) -> FigureFilters:
        def number(name: str) -> int | None:
            raw = (query.get(name) or "").strip()
            return int(raw) if raw.isdigit() and len(raw) < 19 else None

        kind = (query.get("kind") or "").strip()
        channel = (query.get("channel") or "").strip()
        return cls(
            center_id=number("center"),
            department_id=number("department"),
            window_id=number("window"),
            staff_id=number("staff"),
            item_id=number("item"),
            kind=kind if kind in CaseKind.values else "",
            channel=channel if channel in Channel.values else "",
        )

    @property
    def case_only(self) -> bool:
        """Kind and channel are properties of cases: ratings and complaints cannot follow."""
        return bool(self.kind or self.channel)


# --- periods ---------------------------------------------------------------------------------


def period_bounds(period: str, anchor: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the `period` ("day", "week", "month", "quarter", "year")
    holding `anchor`."""
    if period == "day":
        return anchor, anchor
    if period == "week":
        first = anchor - datetime.timedelta(days=anchor.weekday())
        return first, first + datetime.timedelta(days=6)
    if period == "month":
        first = anchor.replace(day=1)
        return first, _month_after(first) - datetime.timedelta(days=1)
    if period == "quarter":
        first = datetime.date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
        last = _month_after(_month_after(_month_after(first))) - datetime.timedelta(days=1)
        return first, last
    if period == "year":
        return datetime.date(anchor.year, 1, 1), datetime.date(anchor.year, 12, 31)
    raise ValueError(f"unknown period {period!r}")


def _month_after(first: datetime.date) -> datetime.date:
    return datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def previous_period(
    first: datetime.date, last: datetime.date, period: str = "range"
) -> tuple[datetime.date, datetime.date]:
    """The period just before (环比): the previous day/week/month/quarter/year, or for a range
    the same number of days right before it."""
    if period in ("month", "quarter", "year"):
        return period_bounds(period, first - datetime.timedelta(days=1))
    length = (last - first).days + 1
    return first - datetime.timedelta(days=length), first - datetime.timedelta(days=1)


def year_before(first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The same period a year before (同比)."""
    return _shift_year(first, -1), _shift_year(last, -1)


# --- sums ------------------------------------------------------------------------------------


def _scoped(qs: QuerySet[Any], scope: StatsScope, center: str, department: str | None) -> Any:
    if not scope.everything:
        qs = qs.filter(**{f"{center}__in": scope.centers.values("pk")})
    if scope.department_id is not None and department is not None:
        qs = qs.filter(**{department: scope.department_id})
    elif scope.department_id is not None:
        qs = qs.none()
    return qs


def _subtree(center_id: int) -> QuerySet[Center]:
    return Center.objects.filter(
        path__startswith=Center.objects.filter(pk=center_id).values("path")[:1]
    )


def _filtered(qs: QuerySet[Any], filters: FigureFilters, names: dict[str, str | None]) -> Any:
    if filters.center_id is not None:
        qs = qs.filter(center_id__in=_subtree(filters.center_id).values("pk"))
    for attribute in ("department_id", "window_id", "staff_id", "item_id", "kind", "channel"):
        value = getattr(filters, attribute)
        if value in (None, ""):
            continue
        name = names.get(attribute)
        if name is None:
            return qs.none()
        qs = qs.filter(**{name: value})
    return qs


def _grouped(
    qs: QuerySet[Any], dimension: str, name: str | None, aggregates: dict[str, Any]
) -> Any:
    if dimension == "total":
        return [{"key": None, **qs.aggregate(**aggregates)}]
    if name is None:
        return []
    expression: Any
    if dimension == "month":
        expression = TruncMonth(name)
    elif dimension == "day" and name != "day":
        expression = TruncDate(name)
    else:
        expression = F(name)
    return qs.annotate(key=expression).values("key").annotate(**aggregates).order_by()


def _normal(key: Any, dimension: str) -> Any:
    if dimension == "month" and isinstance(key, datetime.datetime | datetime.date):
        day = key.date() if isinstance(key, datetime.datetime) else key
        return day.replace(day=1)
    if dimension == "day" and isinstance(key, datetime.datetime):
        return key.date()
    return key


def figure_sums(
    scope: StatsScope,
    first: datetime.date,
    last: datetime.date,
    *,
    dimension: str = "total",
    filters: FigureFilters | None = None,
) -> dict[Key, dict[str, int]]:
    """The sums behind the figures per group of `dimension` over the local days
    [first, last]: every rollup counter (`COUNTERS`), plus ratings_total, ratings_good,
    ratings_bad and complaints where the dimension applies to ratings and complaints.
    Three queries."""
    if dimension not in _FIELDS:
        raise ValueError(f"unknown dimension {dimension!r}")
    filters = filters or FigureFilters()
    rollup_name, rating_name, complaint_name = _FIELDS[dimension]
    result: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))

    rollups = _scoped(
        CaseDayRollup.objects.filter(day__gte=first, day__lte=last),
        scope,
        "center_id",
        "department_id",
    )
    rollups = _filtered(
        rollups,
        filters,
        {
            "department_id": "department_id",
            "window_id": "window_id",
            "staff_id": "staff_id",
            "item_id": "item_id",
            "kind": "kind",
            "channel": "channel",
        },
    )
    for row in _grouped(rollups, dimension, rollup_name, {c: Sum(c) for c in COUNTERS}):
        key = _normal(row.pop("key"), dimension)
        target = result[key]
        for counter in COUNTERS:
            target[counter] += row[counter] or 0

    start, end = day_start(first), day_start(last + datetime.timedelta(days=1))
    if not filters.case_only:
        ratings = _scoped(
            Rating.objects.counting().filter(rated_at__gte=start, rated_at__lt=end),
            scope,
            "center_id",
            "department_id",
        )
        ratings = _filtered(
            ratings,
            filters,
            {
                "department_id": "department_id",
                "window_id": "window_id",
                "staff_id": "staff_id",
                "item_id": "item_id",
            },
        )
        aggregates = {
            "ratings_total": Count("id"),
            "ratings_good": Count("id", filter=GOOD),
            "ratings_bad": Count("id", filter=BAD),
        }
        for row in _grouped(ratings, dimension, rating_name, aggregates):
            key = _normal(row.pop("key"), dimension)
            result[key].update({name: row[name] or 0 for name in aggregates})

        complaints = _scoped(
            Complaint.objects.filter(received_at__gte=start, received_at__lt=end),
            scope,
            "center_id",
            "target_department_id",
        )
        complaints = _filtered(
            complaints,
            filters,
            {
                "department_id": "target_department_id",
                "window_id": "target_window_id",
                "staff_id": "target_staff_id",
            },
        )
        for row in _grouped(complaints, dimension, complaint_name, {"complaints": Count("id")}):
            key = _normal(row.pop("key"), dimension)
            result[key]["complaints"] = row["complaints"] or 0
    return dict(result)


# --- the table -------------------------------------------------------------------------------


@dataclass
class FigureRow:
    key: Key
    label: str
    sums: dict[str, int]
    values: dict[str, float | int | None]
    previous: dict[str, float | int | None] = field(default_factory=dict)  # 环比
    last_year: dict[str, float | int | None] = field(default_factory=dict)  # 同比


@dataclass
class FigureTable:
    first: datetime.date
    last: datetime.date
    dimension: str
    filters: FigureFilters
    rows: list[FigureRow]
    total: FigureRow
    previous_bounds: tuple[datetime.date, datetime.date]
    last_year_bounds: tuple[datetime.date, datetime.date]


def change(now: float | int | None, before: float | int | None) -> float | None:
    """The relative change in percent from `before` to `now` (None when not computable)."""
    if now is None or before is None or before == 0:
        return None
    return round(100.0 * (now - before) / before, 1)


def _labels(dimension: str, keys: list[Key]) -> dict[Key, str]:
    ids = [key for key in keys if key is not None]
    if dimension == "center":
        return dict(Center.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "department":
        rows = list(Department.objects.filter(pk__in=ids).values_list("pk", "name", "center__name"))
        names = [name for _pk, name, _center in rows]
        # The same department name in two centers (each town's 社会事务办) names its center.
        return {
            pk: f"{name} · {center}" if names.count(name) > 1 else name for pk, name, center in rows
        }
    if dimension == "window":
        return {
            pk: f"{number}号 {name}"
            for pk, number, name in Window.objects.filter(pk__in=ids).values_list(
                "pk", "number", "name"
            )
        }
    if dimension == "staff":
        return {
            pk: full_name or username
            for pk, full_name, username in User.objects.filter(pk__in=ids).values_list(
                "pk", "full_name", "username"
            )
        }
    if dimension == "item":
        return dict(ServiceItem.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "kind":
        return {key: str(CaseKind(key).label) for key in ids if key in CaseKind.values}
    if dimension == "channel":
        return {key: str(Channel(key).label) for key in ids if key in Channel.values}
    if dimension == "month":
        return {key: key.strftime("%Y-%m") for key in ids}
    if dimension == "day":
        return {key: key.isoformat() for key in ids}
    return {}


def _sort_key(dimension: str, label: str, key: Key) -> tuple[Any, ...]:
    if dimension in ("day", "month"):
        return (key,)
    return (label, str(key))


def figure_table(
    scope: StatsScope,
    first: datetime.date,
    last: datetime.date,
    *,
    dimension: str = "total",
    filters: FigureFilters | None = None,
    period: str = "range",
) -> FigureTable:
    """The figures of [first, last] per group of `dimension`, with the total, and for every
    row and the total the values of the previous period (环比) and of the same period a year
    before (同比). A fixed number of queries (ten at most)."""
    filters = filters or FigureFilters()
    before = previous_period(first, last, period)
    year_ago = year_before(first, last)
    current = figure_sums(scope, first, last, dimension=dimension, filters=filters)
    # The comparisons of the rows, and the total (one query set each, grouped in the same way).
    previous = figure_sums(scope, *before, dimension=dimension, filters=filters)
    past = figure_sums(scope, *year_ago, dimension=dimension, filters=filters)
    keys = [key for key in current if key is not None]
    labels = _labels(dimension, keys)
    rows = [
        FigureRow(
            key=key,
            label=labels.get(key, "—"),
            sums=sums,
            values=evaluate(sums),
            previous=evaluate(previous.get(key, {})),
            last_year=evaluate(past.get(key, {})),
        )
        for key, sums in current.items()
        if key is not None or dimension == "total"
    ]
    rows.sort(key=lambda row: _sort_key(dimension, row.label, row.key))
    totals: dict[str, int] = defaultdict(int)
    previous_totals: dict[str, int] = defaultdict(int)
    past_totals: dict[str, int] = defaultdict(int)
    for source, target in ((current, totals), (previous, previous_totals), (past, past_totals)):
        for sums in source.values():
            for name, value in sums.items():
                target[name] += value
    total = FigureRow(
        key=None,
        label="",
        sums=dict(totals),
        values=evaluate(totals),
        previous=evaluate(previous_totals),
        last_year=evaluate(past_totals),
    )
    return FigureTable(
        first=first,
        last=last,
        dimension=dimension,
        filters=filters,
        rows=rows if dimension != "total" else [],
        total=total,
        previous_bounds=before,
        last_year_bounds=year_ago,
    )


# A figure's drill (`Figure.drill`) → the case list's date range and, for the decided ones,
# its `timely` filter (the on-time rule) and who the staff member is.
_DRILL_DATES = {"received": ("from", "to"), "accepted": ("accepted_from", "accepted_to")}
DECIDED_DRILLS = ("completed", "on_time", "early", "overdue")


def drill_params(
    first: datetime.date,
    last: datetime.date,
    filters: FigureFilters,
    *,
    dimension: str = "total",
    key: Key = None,
    drill: str = "received",
) -> dict[str, str]:
    """The case list's query parameters (workbench `/staff/cases/`) for the cases behind a
    figure of [first, last] under `filters` and, for a row, its group: the cases received
    (`drill` "received") or accepted in the period, or, for the figures counted by the day of
    the decision ("completed", "on_time", "early", "overdue"), the cases DECIDED in the period
    that ended so. The staff member is who received the case, or who decided it."""
    decided = drill in DECIDED_DRILLS
    start, end = (
        ("decided_from", "decided_to")
        if decided
        else _DRILL_DATES.get(drill, _DRILL_DATES["received"])
    )
    staff_param = "decided_by" if decided else "received_by"
    params: dict[str, Any] = {
        "status": "all",
        start: first.isoformat(),
        end: last.isoformat(),
        "center": filters.center_id,
        "department": filters.department_id,
        "window": filters.window_id,
        "item": filters.item_id,
        "kind": filters.kind,
        "channel": filters.channel,
        staff_param: filters.staff_id,
        "timely": drill if decided else "",
    }
    if key is not None and dimension == "staff":
        params[staff_param] = key
    elif key is not None and dimension in (
        "center",
        "department",
        "window",
        "item",
        "kind",
        "channel",
    ):
        params[dimension] = key
    elif key is not None and dimension == "day":
        params[start] = params[end] = key.isoformat()
    elif key is not None and dimension == "month":
        month_first = max(key, first)
        month_last = min(_month_after(key) - datetime.timedelta(days=1), last)
        params[start], params[end] = month_first.isoformat(), month_last.isoformat()
    return {name: str(value) for name, value in params.items() if value not in (None, "")}


__all__ = [
    "DIMENSIONS",
    "FIGURES",
    "PERIODS",
    "FigureFilters",
    "FigureRow",
    "FigureTable",
    "change",
    "drill_params",
    "figure_sums",
    "figure_table",
    "period_bounds",
    "previous_period",
    "year_before",
]
