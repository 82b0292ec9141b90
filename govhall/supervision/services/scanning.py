"""What every supervision scan shares: its result, its state row, its calendars and "changed since".

Entry points:
def locked_state(name) -> ContextManager[ScanState]      (the row, FOR UPDATE, in a transaction)
def may_go_incremental(state, *, full, today, revision=None, rules=(), same_day=False) -> bool
def mark_scanned(state, *, started, today, revision=None) -> None
def forget_state(name) -> None                            (the next scan is a full one)
def scan_calendars() -> Calendars
def changed_ids(model, since) -> QuerySet                 (ids of records with an event since)

A scan takes its state row FOR UPDATE for its whole run, so two runs of it at once take turns; it
decides whether it may look only at what changed since its last run (`may_go_incremental`), and
records when it started (the wall clock, what "changed since" compares with) and the day it ran
as of (`mark_scanned`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import BigIntegerField, QuerySet
from django.db.models.functions import Cast

from govhall.core.models import Event
from govhall.supervision.models import AlertRule, ScanState
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import WorkCalendar


@dataclass(frozen=True)
class ScanResult:
    day: datetime.date
    full: bool
    raised: int
    withdrawn: int


@contextmanager
def locked_state(name: str) -> Iterator[ScanState]:
    """The scan's state row (created on the first run), locked FOR UPDATE in a transaction that
    lasts as long as the block."""
    ScanState.objects.get_or_create(name=name)
    with transaction.atomic():
        yield ScanState.objects.select_for_update().get(name=name)


def may_go_incremental(
    state: ScanState,
    *,
    full: bool,
    today: datetime.date,
    revision: int | None = None,
    rules: Iterable[AlertRule] = (),
    same_day: bool = False,
) -> bool:
    """May the scan look only at what changed since its last run? Not when asked for a full
    scan, on its first run, when run as of an earlier day than the last run (or, `same_day`,
    another day), when the calendar revision is not `revision` (when given), or when one of
    `rules` changed since the last run."""
    last_at, last_day = state.last_scan_at, state.last_day
    if full or last_at is None or last_day is None:
        return False
    if last_day > today or (same_day and last_day != today):
        return False
    if revision is not None and state.calendar_revision != revision:
        return False
    return all(rule.updated_at < last_at for rule in rules)


def mark_scanned(
    state: ScanState,
    *,
    started: datetime.datetime,
    today: datetime.date,
    revision: int | None = None,
) -> None:
    """Record the run: when it started (the wall clock), the day it ran as of, and the calendar
    revision it used (when given)."""
    state.last_scan_at = started
    state.last_day = today
    if revision is not None:
        state.calendar_revision = revision
    state.save()


def forget_state(name: str) -> None:
    """Make the next scan `name` a full one."""
    ScanState.objects.filter(name=name).update(last_scan_at=None, last_day=None)


@dataclass(frozen=True)
class Calendars:
    national: WorkCalendar
    special: dict[int, WorkCalendar]  # centers with days of their own

    def by_center(self) -> dict[int | None, WorkCalendar]:
        """The national calendar (key None) and each center with days of its own."""
        found: dict[int | None, WorkCalendar] = {None: self.national}
        found.update(self.special.items())
        return found


def scan_calendars() -> Calendars:
    """The national calendar and the calendar of each center with days of its own."""
    ids = CenterDay.objects.values_list("center_id", flat=True).distinct()
    return Calendars(calendar_for(None), {pk: calendar_for(pk) for pk in ids})


def changed_ids(model: type[models.Model], since: datetime.datetime) -> QuerySet[Any]:
    """The ids of the `model` records with an event since `since` (every service writes one), as
    a one-column subquery."""
    return (
        Event.objects.filter(at__gte=since, object_type=model._meta.label_lower)
        .annotate(record_pk=Cast("object_id", BigIntegerField()))
        .values("record_pk")
    )
