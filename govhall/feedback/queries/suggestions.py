"""Reading the suggestion box (issue 15 item 5): 办复率 (entries replied / entries received,
target 100%) per month, the month's summary of a center for the leaders, the portal's message
wall, an entry by its public token.

The rates are one grouped SQL query each; an entry counts in the month it was received (local
time), and counts as replied when it has a reply by now (`replied`) and by its due moment
(`on_time`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from govhall.feedback.models import Suggestion, SuggestionChannel, SuggestionKind
from govhall.org.models import Center
from govhall.workdays.queries.calendar import day_start

TARGET_RATE = Decimal(100)


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, None of nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the month and of the next one, local time."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day_start(first), day_start(following)


@dataclass(frozen=True)
class MonthRate:
    month: datetime.date  # first day
    received: int
    replied: int
    on_time: int
    overdue_open: int

    @property
    def reply_rate(self) -> Decimal | None:
        return rate(self.replied, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.received)


def _counts(rows: QuerySet[Suggestion], now: datetime.datetime) -> dict[str, Count]:
    return {
        "received": Count("pk"),
        "replied": Count("pk", filter=Q(replied_at__isnull=False)),
        "on_time": Count("pk", filter=Q(replied_at__lte=F("reply_due_at"))),
        "overdue_open": Count("pk", filter=Q(replied_at__isnull=True, reply_due_at__lt=now)),
    }


def reply_rates_by_month(
    entries: QuerySet[Suggestion], year: int, *, now: datetime.datetime | None = None
) -> list[MonthRate]:
    """办复率 of each month of `year` among `entries` (a scoped queryset), in one query; months
    without entries are left out."""
    moment = now or timezone.now()
    first, _end = month_bounds(year, 1)
    _start, last = month_bounds(year, 12)
    rows = (
        entries.filter(received_at__gte=first, received_at__lt=last)
        .annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(**_counts(entries, moment))
        .order_by("month")
    )
    found = []
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        found.append(
            MonthRate(
                month=day,
                received=row["received"],
                replied=row["replied"],
                on_time=row["on_time"],
                overdue_open=row["overdue_open"],
            )
        )
    return found


def month_rate(
    entries: QuerySet[Suggestion], year: int, month: int, *, now: datetime.datetime | None = None
) -> MonthRate:
    """办复率 of one month among `entries` (one query)."""
    moment = now or timezone.now()
    first, last = month_bounds(year, month)
    row = (
        entries.filter(received_at__gte=first, received_at__lt=last)
        .order_by()
        .aggregate(**_counts(entries, moment))
    )
    return MonthRate(
        month=datetime.date(year, month, 1),
        received=row["received"] or 0,
        replied=row["replied"] or 0,
        on_time=row["on_time"] or 0,
        overdue_open=row["overdue_open"] or 0,
    )


@dataclass
class MonthSummary:
    """A center's month of the suggestion box, for the leaders (page and SMS)."""

    center: Center
    totals: MonthRate
    by_kind: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    by_channel: list[tuple[str, str, int]] = field(default_factory=list)
    entries: list[Suggestion] = field(default_factory=list)


def month_summary(
    center: Center, year: int, month: int, *, now: datetime.datetime | None = None
) -> MonthSummary:
    """The entries received at `center` (itself, not its subtree) in the month: totals and
    办复率, counts by kind and by channel, and the entries."""
    entries = Suggestion.objects.filter(center=center)
    first, last = month_bounds(year, month)
    in_month = entries.filter(received_at__gte=first, received_at__lt=last).order_by()
    kinds = dict(in_month.values_list("kind").annotate(n=Count("pk")))
    channels = dict(in_month.values_list("channel").annotate(n=Count("pk")))
    return MonthSummary(
        center=center,
        totals=month_rate(entries, year, month, now=now),
        by_kind=[
            (value, str(label), kinds.get(value, 0)) for value, label in SuggestionKind.choices
        ],
        by_channel=[
            (value, str(label), channels.get(value, 0))
            for value, label in SuggestionChannel.choices
        ],
        entries=list(
            in_month.select_related("replied_by", "entered_by").order_by("received_at", "pk")
        ),
    )


def message_wall(center: Center | None = None) -> QuerySet[Suggestion]:
    """The entries their writers chose to show on the portal, newest first (names are masked
    by the page)."""
    rows = Suggestion.objects.filter(is_public=True, center__is_active=True)
    if center is not None:
        rows = rows.filter(center=center)
    return rows.select_related("center").order_by("-received_at", "-pk")


def suggestion_by_token(token: str) -> Suggestion:
    found = Suggestion.objects.filter(public_token=str(token)[:24]).select_related("center").first()
    if found is None:
        raise Http404
    return found
