"""Telling higher layers that the calendar changed.

The workdays app sits below every app that keeps deadlines (cases, supervision, ...), so it
cannot call them. Instead they register a callback, usually in their AppConfig.ready():

    from govhall.workdays.services.changes import CalendarChange, on_calendar_change

    @on_calendar_change
    def recompute_open_deadlines(change: CalendarChange) -> None:
        ...  # e.g. start a job recomputing open deadlines of change.center_ids from change.since

Every calendar service (schedule import or removal, center day set or removal) calls each
registered callback once, after its transaction has committed and after this process's cached
calendars were dropped, so `calendar_for` already answers with the new data. A callback that
raises is logged and does not stop the others; the change itself stays committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarChange:
    """What changed: `center_ids` None means every center (a national schedule changed).

    Deadlines counted from a start day before `since` whose end is also before `since` cannot
    be affected; everything reaching `since` or later may be.
    """

    action: str  # the event name of the change (workdays.events.WorkdaysEvent)
    center_ids: frozenset[int] | None
    years: frozenset[int]
    since: datetime.date

    def affects_center(self, center_id: int) -> bool:
        return self.center_ids is None or center_id in self.center_ids


CalendarChangeHook = Callable[[CalendarChange], None]

_hooks: list[CalendarChangeHook] = []


def on_calendar_change(callback: CalendarChangeHook) -> CalendarChangeHook:
    """Register `callback` (idempotent; usable as a decorator)."""
    if callback not in _hooks:
        _hooks.append(callback)
    return callback


def remove_calendar_change_hook(callback: CalendarChangeHook) -> None:
    if callback in _hooks:
        _hooks.remove(callback)


def notify_calendar_change(change: CalendarChange) -> None:
    """Call every hook; called by the services on commit."""
    for hook in list(_hooks):
        try:
            hook(change)
        except Exception:  # one failing subscriber must not hide the change from the others
            log.exception("calendar change hook %r failed for %s", hook, change)
