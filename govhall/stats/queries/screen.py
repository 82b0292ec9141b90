"""The big screen (大屏, issue 18 item 3): the figures the hall's wall shows, as one JSON-ready
state per center, built from cheap aggregates of today's data (a fixed number of queries,
whatever the number of tickets, cases, ratings or rooms).

Entry point:
def screen_state(center, now) -> dict

What each figure means (the center is the hall the screen hangs in):
- today's tickets by hour: tickets of the hall taken in each local hour of today (`taken_at`);
- today's cases by hour: cases of the hall received in each local hour of today (`received_at`,
  every channel);
- totals: tickets taken today, tickets waiting now, cases received today, cases decided today
  (voided and withdrawn ones not counted, as in the on-time rate);
- on-time rate by department this month: `stats.queries.figures` over the daily rollups (a
  case counts on the day it was decided; on time when decided on or before its promised
  deadline; see `govhall.stats.figures`), the hall's own departments;
- window ranking: this month's windows by satisfaction (`feedback.queries.rating_figures`);
- rooms: the town centers and village rooms under the hall, with their tickets waiting now and
  cases received today (the busiest first, at most GOVHALL_SCREEN_ROOMS);
- feed: the latest counting ratings of the hall (of the last FEED_DAYS days), the rater's
  name masked
  (`core.idnumbers.mask_name`), never a phone or a comment.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import NOT_COMPLETED
from govhall.core.idnumbers import mask_name
from govhall.feedback.models import Rating, RatingLevel
from govhall.feedback.queries.rating_figures import monthly_rankings
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.org.models import Center, Department
from govhall.org.models.centers import CenterLevel
from govhall.stats.figures import share
from govhall.stats.queries.ontime import department_on_time as on_time_by_department
from govhall.workdays.queries.calendar import day_start

ROOM_LEVELS = (CenterLevel.TOWN, CenterLevel.VILLAGE)
# The ratings feed looks back this many days (an indexed range: cheap however many ratings).
FEED_DAYS = 7


def _by_hour(rows: Any) -> dict[int, int]:
    return {int(hour): int(count) for hour, count in rows if hour is not None}


def _hours(center: Center, *seen: dict[int, int]) -> list[int]:
    """The opening hours of the hall, widened to every hour that saw something."""
    first = center.morning_opens.hour
    last = center.afternoon_closes.hour
    for counts in seen:
        if counts:
            first = min(first, min(counts))
            last = max(last, max(counts))
    return list(range(first, last + 1))


def hourly_figures(center: Center, today: datetime.date) -> dict[str, Any]:
    """Tickets taken and cases received per local hour of `today` (two GROUP BY queries)."""
    tz = timezone.get_current_timezone()
    start, end = day_start(today), day_start(today + datetime.timedelta(days=1))
    tickets = _by_hour(
        Ticket.objects.filter(center=center, taken_at__gte=start, taken_at__lt=end)
        .annotate(hour=ExtractHour("taken_at", tzinfo=tz))
        .order_by()
        .values_list("hour")
        .annotate(n=Count("pk"))
    )
    cases = _by_hour(
        Case.objects.filter(center=center, received_at__gte=start, received_at__lt=end)
        .annotate(hour=ExtractHour("received_at", tzinfo=tz))
        .order_by()
        .values_list("hour")
        .annotate(n=Count("pk"))
    )
    hours = _hours(center, tickets, cases)
    return {
        "hours": [f"{hour:02d}:00" for hour in hours],
        "tickets": [tickets.get(hour, 0) for hour in hours],
        "cases": [cases.get(hour, 0) for hour in hours],
    }


def totals(center: Center, today: datetime.date) -> dict[str, int]:
    """Tickets taken today and waiting now, cases received and decided today (two queries)."""
    start, end = day_start(today), day_start(today + datetime.timedelta(days=1))
    ticket_row = Ticket.objects.filter(center=center, service_date=today).aggregate(
        taken=Count("pk"), waiting=Count("pk", filter=Q(status=TicketStatus.WAITING))
    )
    case_row = Case.objects.filter(
        Q(received_at__gte=start, received_at__lt=end)
        | Q(decided_at__gte=start, decided_at__lt=end),
        center=center,
    ).aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        decided=Count(
            "pk",
            filter=Q(decided_at__gte=start, decided_at__lt=end) & ~Q(status__in=NOT_COMPLETED),
        ),
    )
    return {
        "tickets": ticket_row["taken"],
        "waiting": ticket_row["waiting"],
        "cases": case_row["received"],
        "decided": case_row["decided"],
    }


def department_on_time(center: Center, today: datetime.date) -> list[dict[str, Any]]:
    """This month so far (the 1st to `today`): the on-time rate of each department of the hall
    that completed something, from the daily rollups through `stats.queries.ontime` (THE
    on-time rule of `govhall.stats.figures`, as on the public page), best first. Four
    queries."""
    figures = on_time_by_department(center, today.replace(day=1), today)
    names = dict(Department.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    rows: list[tuple[float, str, int, int]] = [
        (
            share(month.on_time, month.finished) or 0.0,
            str(names.get(key, "—")),
            month.finished,
            month.on_time,
        )
        for key, month in figures.items()
    ]
    rows.sort(key=lambda row: (-row[0], row[1]))
    return [
        {"name": name, "finished": finished, "on_time": on_time, "rate": rate}
        for rate, name, finished, on_time in rows
    ]


def window_ranking(center: Center, today: datetime.date) -> list[dict[str, Any]]:
    """This month's best windows by satisfaction (好差评), at most GOVHALL_SCREEN_RANKING."""
    rows = monthly_rankings(center, today.year, today.month)["windows"]
    return [
        {"rank": row["rank"], "name": row["name"], "rate": row["rate"], "count": row["count"]}
        for row in rows[: settings.GOVHALL_SCREEN_RANKING]
    ]


def room_loads(center: Center, today: datetime.date) -> dict[str, Any]:
    """The town centers and village rooms under the hall with their load: tickets waiting now
    and cases received today (three queries), the busiest first."""
    start, end = day_start(today), day_start(today + datetime.timedelta(days=1))
    rooms = list(
        Center.objects.subtree_of(center)
        .active()
        .filter(level__in=ROOM_LEVELS)
        .exclude(pk=center.pk)
        .values_list("pk", "name", "level", "path")
    )
    under = Q(center__path__startswith=center.path) & ~Q(center_id=center.pk)
    waiting = dict(
        Ticket.objects.filter(under, service_date=today, status=TicketStatus.WAITING)
        .order_by()
        .values_list("center_id")
        .annotate(n=Count("pk"))
    )
    cases = dict(
        Case.objects.filter(under, received_at__gte=start, received_at__lt=end)
        .order_by()
        .values_list("center_id")
        .annotate(n=Count("pk"))
    )
    rows = [
        {
            "name": name,
            "level": level,
            "waiting": waiting.get(pk, 0),
            "cases": cases.get(pk, 0),
            "path": path,
        }
        for pk, name, level, path in rooms
    ]
    rows.sort(key=lambda row: (-row["waiting"], -row["cases"], row["path"]))
    for row in rows:
        del row["path"]
    return {
        "count": len(rows),
        "towns": sum(1 for row in rows if row["level"] == CenterLevel.TOWN),
        "villages": sum(1 for row in rows if row["level"] == CenterLevel.VILLAGE),
        "busy": sum(1 for row in rows if row["waiting"] or row["cases"]),
        "rows": rows[: settings.GOVHALL_SCREEN_ROOMS],
    }


def rating_feed(center: Center, today: datetime.date) -> list[dict[str, Any]]:
    """The latest counting ratings of the hall in the last FEED_DAYS days, newest first (one
    query): level, window, time and the rater's masked name — nothing else of the person."""
    labels = dict(RatingLevel.choices)
    rows = (
        Rating.objects.counting()
        .filter(
            center=center, rated_at__gte=day_start(today - datetime.timedelta(days=FEED_DAYS - 1))
        )
        .order_by("-rated_at", "-pk")
        .values("pk", "level", "rater_name", "rated_at", "window__number", "window__name")[
            : settings.GOVHALL_SCREEN_FEED
        ]
    )
    return [
        {
            "id": row["pk"],
            "level": row["level"],
            "label": str(labels.get(row["level"], "")),
            "name": mask_name(row["rater_name"]),
            "window": row["window__number"],
            "window_name": row["window__name"] or "",
            "at": f"{timezone.localtime(row['rated_at']):%H:%M}"
            if timezone.localtime(row["rated_at"]).date() == today
            else f"{timezone.localtime(row['rated_at']):%m-%d %H:%M}",
        }
        for row in rows
    ]


def screen_state(center: Center, now: datetime.datetime) -> dict[str, Any]:
    """Everything the big screen shows at `now` (a fixed number of queries)."""
    local = timezone.localtime(now)
    today = local.date()
    return {
        "center": center.name,
        "date": today.isoformat(),
        "generated_at": local.isoformat(timespec="milliseconds"),
        "totals": totals(center, today),
        "hourly": hourly_figures(center, today),
        "on_time": department_on_time(center, today),
        "ranking": window_ranking(center, today),
        "rooms": room_loads(center, today),
        "feed": rating_feed(center, today),
    }
