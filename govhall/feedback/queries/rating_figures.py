"""Rating figures (好差评, issue 15 item 1): the satisfaction rate and the monthly rankings of
windows and staff, published on the portal (`/ratings/`), the display board and the API.

Entry points:
def satisfaction_rate(good, total) -> float | None
def rating_counts(qs) -> RatingCounts
def monthly_rankings(center, year, month) -> {"windows": [...], "staff": [...]}

Only counting ratings enter a figure (`RatingQuerySet.counting()`): a rating excluded on appeal
and a rating replaced by the citizen's re-rating do not count (the re-rating counts instead).
Everything is counted in SQL (annotate/aggregate); the rate of a row is computed in the same
query, so the rankings are ordered there too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from govhall.feedback.models import BAD_LEVELS, Rating
from govhall.feedback.models.ratings import RatingQuerySet
from govhall.org.models import Center
from govhall.workdays.queries.calendar import day_start

# 好评: the top three levels (非常满意, 满意, 基本满意) — GB/T 39735-2020 and
# 国办发〔2019〕51号 call the bottom two (不满意, 非常不满意) 差评, everything else a good rating.
GOOD = Q(level__gte=3)
BAD = Q(level__in=BAD_LEVELS)


def satisfaction_rate(good: int, total: int) -> float | None:
    """The satisfaction rate (满意率) in percent: the share of counting ratings at level ≥ 3
    (基本满意 or better) among all counting ratings of the period, the definition of
    GB/T 39735-2020's 好评率 (差评 being the bottom two levels). None when nothing was rated.

    Every figure of the feedback app (rankings, the display board, the API) uses this one
    definition; the SQL form is `good_share()` below."""
    if total <= 0:
        return None
    return round(100.0 * good / total, 1)


def good_share() -> Any:
    """`satisfaction_rate` as an SQL expression over annotated `good` and `total` (a fraction
    0..1; rows always have total ≥ 1)."""
    return Cast(F("good"), FloatField()) / Cast(F("total"), FloatField())


def counts() -> dict[str, Any]:
    """The annotations of a group of ratings: total, good and bad."""
    return {
        "total": Count("id"),
        "good": Count("id", filter=GOOD),
        "bad": Count("id", filter=BAD),
    }


@dataclass(frozen=True)
class RatingCounts:
    total: int
    good: int
    bad: int

    @property
    def rate(self) -> float | None:
        return satisfaction_rate(self.good, self.total)


def rating_counts(qs: RatingQuerySet) -> RatingCounts:
    """Counts of the counting ratings among `qs`, in one query."""
    row = qs.counting().aggregate(**counts())
    return RatingCounts(total=row["total"], good=row["good"], bad=row["bad"])


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the local month and of the next one."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day_start(first), day_start(following)


def month_ratings(center: Center | int, year: int, month: int) -> RatingQuerySet:
    """The counting ratings of a center's month (by the moment they were given)."""
    start, end = month_bounds(year, month)
    center_id = center if isinstance(center, int) else center.pk
    return Rating.objects.counting().filter(
        center_id=center_id, rated_at__gte=start, rated_at__lt=end
    )


def _ranked(qs: QuerySet[Any], key: str, fields: list[str]) -> QuerySet[Any]:
    return (
        qs.filter(**{f"{key}__isnull": False})
        .values(key, *fields)
        .annotate(**counts())
        .annotate(share=good_share())
        .order_by("-share", "-total", "bad", key)
    )


def _row(rank: int, name: str, row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "rank": rank,
        "name": name,
        "count": row["total"],
        "good": row["good"],
        "rate": satisfaction_rate(row["good"], row["total"]),
        "bad": row["bad"],
        **extra,
    }


def monthly_rankings(
    center: Center | int, year: int, month: int
) -> dict[str, list[dict[str, Any]]]:
    """The month's rankings of a center's windows and staff, best first (highest satisfaction
    rate, then more ratings, then fewer bad ones). Each row: rank, name, count, good, rate (%),
    bad, and the window's number or the staff member's public number. Staff are named by their
    public name (挂牌: full name and staff number), never by login or phone."""
    ratings = month_ratings(center, year, month)
    windows = [
        _row(
            rank,
            f"{row['window__number']}号 {row['window__name']}",
            row,
            id=row["window"],
            number=row["window__number"],
        )
        for rank, row in enumerate(
            _ranked(ratings, "window", ["window__number", "window__name"]), start=1
        )
    ]
    staff = [
        _row(
            rank,
            row["staff__full_name"] or row["staff__staff__staff_number"] or "—",
            row,
            id=row["staff"],
            number=row["staff__staff__staff_number"] or "",
        )
        for rank, row in enumerate(
            _ranked(ratings, "staff", ["staff__full_name", "staff__staff__staff_number"]),
            start=1,
        )
    ]
    return {"windows": windows, "staff": staff}
