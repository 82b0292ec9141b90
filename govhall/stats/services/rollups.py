"""THE only writer of the daily case rollups (`CaseDayRollup`).

- `rebuild_days(center_id, days)`: recompute the rows of one center's days from the cases
  (delete, then insert); a case counts on the day it was received, accepted and decided.
- `rebuild(center_ids=None, since=None)`: the whole table (or a subtree, or from a day on),
  used by `govhall stats_rebuild`.
- `refresh_changed()`: the worker's incremental run: the cases with an event since the last
  run (the event log is the change feed; `RollupCursor` keeps the last event id) have their
  centers' days recomputed. Idempotent; a missed run is caught up by the next one.

Working days come from each center's calendar (`govhall.workdays`), so the rows are computed in
Python from one streamed query per batch of days, not in SQL.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import NOT_COMPLETED
from govhall.core.models import Event
from govhall.org.models import Center
from govhall.stats.models import CaseDayRollup, RollupCursor
from govhall.stats.models.rollups import COUNTERS
from govhall.workdays.queries.calendar import calendar_for, day_start
from govhall.workdays.queries.work_calendar import CalendarRangeError

CURSOR = "cases"
BATCH = 5000
Key = tuple[datetime.date, int, int, int | None, int | None, int, str, str]

_FIELDS = (
    "pk",
    "center_id",
    "department_id",
    "received_window_id",
    "window_id",
    "received_by_id",
    "decided_by_id",
    "status",
    "item_id",
    "kind",
    "channel",
    "received_at",
    "accepted_at",
    "decided_at",
    "clock_started_on",
    "promised_due_on",
    "suspended_days",
    "legal_days",
    "promised_days",
    "item__visits_required",
)


def _local(
    moment: datetime.datetime | None, tz: datetime.tzinfo | None = None
) -> datetime.date | None:
    if moment is None:
        return None
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def days_used(row: dict[str, Any], decided: datetime.date) -> int:
    """Working days the case took: those after the clock started up to the day of the
    decision, minus the working days it was suspended (never below 0)."""
    start = row["clock_started_on"] or _local(row["accepted_at"]) or _local(row["received_at"])
    assert start is not None
    try:
        used = calendar_for(row["center_id"]).count_workdays(
            start + datetime.timedelta(days=1), decided
        )
    except CalendarRangeError:
        used = max((decided - start).days, 0)
    return max(used - (row["suspended_days"] or 0), 0)


def contributions(
    row: dict[str, Any], tz: datetime.tzinfo | None = None
) -> Iterator[tuple[Key, dict[str, int]]]:
    """The counters one case adds to the rows of the days it touched (local days in `tz`,
    the current time zone by default).

    The staff member of a row is who received the case for the received and accepted
    counters, and who decided it for the completed ones. A case decided and then voided or
    withdrawn is not completed (`NOT_COMPLETED`, the on-time rule of `govhall.stats.figures`)."""
    tz = tz or timezone.get_current_timezone()
    window = row["received_window_id"] or row["window_id"]
    base = (
        row["center_id"],
        row["department_id"],
        window,
        row["received_by_id"],
        row["item_id"],
        row["kind"] or "",
        row["channel"],
    )
    received = _local(row["received_at"], tz)
    if received is not None:
        visits = row["item__visits_required"] or 0
        online = row["channel"] == "online"
        yield (
            (received, *base),
            {
                "received": 1,
                "immediate": int(row["kind"] == "immediate"),
                "online": int(online),
                "full_online": int(online and visits == 0),
                "visits_sum": visits,
                "visits_0": int(visits == 0),
                "visits_1": int(visits == 1),
                "visits_2": int(visits >= 2),
            },
        )
    accepted = _local(row["accepted_at"], tz)
    if accepted is not None:
        yield (accepted, *base), {"accepted": 1}
    decided = _local(row["decided_at"], tz)
    if decided is not None and row["status"] not in NOT_COMPLETED:
        due = row["promised_due_on"]
        decided_base = (*base[:3], row["decided_by_id"], *base[4:])
        yield (
            (decided, *decided_base),
            {
                "completed": 1,
                "on_time": int(due is None or decided <= due),
                "early": int(due is not None and decided < due),
                "overdue": int(due is not None and decided > due),
                "days_used_sum": days_used(row, decided),
                "legal_days_sum": row["legal_days"] or 0,
                "promised_days_sum": row["promised_days"] or 0,
            },
        )


def _accumulate(
    rows: Iterable[dict[str, Any]], keep: set[datetime.date] | None
) -> dict[Key, dict[str, int]]:
    totals: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    tz = timezone.get_current_timezone()
    for row in rows:
        for key, counts in contributions(row, tz):
            if keep is not None and key[0] not in keep:
                continue
            total = totals[key]
            for name, value in counts.items():
                total[name] += value
    return totals


_KEY_COLUMNS = (
    "day",
    "center_id",
    "department_id",
    "window_id",
    "staff_id",
    "item_id",
    "kind",
    "channel",
)


def _write(totals: dict[Key, dict[str, int]]) -> int:
    """Insert the rows: COPY on PostgreSQL, one executemany elsewhere (a rebuild writes
    hundreds of thousands of rows; bulk_create's per-value preparation would dominate)."""
    if not totals:
        return 0
    table = connection.ops.quote_name(CaseDayRollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*_KEY_COLUMNS, *COUNTERS))
    rows = [(*key, *(counts[name] for name in COUNTERS)) for key, counts in totals.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * (len(_KEY_COLUMNS) + len(COUNTERS)))
            for offset in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [
                        (row[0].isoformat(), *row[1:])  # type: ignore[union-attr]
                        for row in rows[offset : offset + BATCH]
                    ],
                )
    return len(rows)


def _touching(days: Iterable[datetime.date]) -> Q:
    touch = Q()
    for day in days:
        start, end = day_start(day), day_start(day + datetime.timedelta(days=1))
        for field in ("received_at", "accepted_at", "decided_at"):
            touch |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return touch


@transaction.atomic
def rebuild_days(center_id: int, days: Iterable[datetime.date]) -> int:
    """Recompute the rollup rows of `center_id` on `days`. Returns the rows written."""
    wanted = sorted(set(days))
    if not wanted:
        return 0
    CaseDayRollup.objects.filter(center_id=center_id, day__in=wanted).delete()
    written = 0
    for offset in range(0, len(wanted), 31):
        chunk = wanted[offset : offset + 31]
        rows = Case.objects.filter(_touching(chunk), center_id=center_id).values(*_FIELDS)
        totals = _accumulate(rows.order_by().iterator(chunk_size=BATCH), set(chunk))
        written += _write(totals)
    return written


def rebuild(*, center_ids: Iterable[int] | None = None, since: datetime.date | None = None) -> int:
    """Recompute the rollups of the given centers (all when None) from `since` on (every day
    when None), one center at a time, each in its own transaction. Returns the rows written."""
    ids = (
        sorted(center_ids)
        if center_ids is not None
        else list(Center.objects.order_by("pk").values_list("pk", flat=True))
    )
    written = 0
    for center_id in ids:
        with transaction.atomic():
            old = CaseDayRollup.objects.filter(center_id=center_id)
            cases = Case.objects.filter(center_id=center_id)
            if since is not None:
                old = old.filter(day__gte=since)
                moment = day_start(since)
                cases = cases.filter(
                    Q(received_at__gte=moment)
                    | Q(accepted_at__gte=moment)
                    | Q(decided_at__gte=moment)
                )
            old.delete()
            rows = cases.order_by().values(*_FIELDS).iterator(chunk_size=BATCH)
            totals = _accumulate(rows, None)
            if since is not None:
                totals = {key: value for key, value in totals.items() if key[0] >= since}
            written += _write(totals)
    return written


def refresh_changed(*, limit: int = 50_000) -> int:
    """Recompute the days touched by the cases changed since the last run (read from the event
    log); the very first run rebuilds everything. Returns the number of cases looked at."""
    cursor, created = RollupCursor.objects.get_or_create(name=CURSOR)
    if created:
        # The first run (a new installation, or after the table was emptied): everything.
        last = Event.objects.aggregate(top=Max("pk"))["top"] or 0
        rebuild()
        RollupCursor.objects.filter(pk=cursor.pk).update(last_event_id=last)
        return Case.objects.count()
    events = list(
        Event.objects.filter(pk__gt=cursor.last_event_id, object_type="cases.case")
        .order_by("pk")
        .values_list("pk", "object_id")[:limit]
    )
    if not events:
        return 0
    case_ids = {int(object_id) for _pk, object_id in events if object_id.isdigit()}
    touched: dict[int, set[datetime.date]] = defaultdict(set)
    for center_id, *moments in Case.objects.filter(pk__in=case_ids).values_list(
        "center_id", "received_at", "accepted_at", "decided_at"
    ):
        for moment in moments:
            if moment is not None:
                touched[center_id].add(timezone.localdate(moment))
    with transaction.atomic():
        for center_id, days in touched.items():
            rebuild_days(center_id, days)
        RollupCursor.objects.filter(pk=cursor.pk).update(last_event_id=events[-1][0])
    return len(case_ids)
