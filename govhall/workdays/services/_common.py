"""What the calendar services share: announcing a change (SPEC §4).

Every change bumps the calendar revision (so other processes drop their cached calendars within
GOVHALL_CALENDAR_REFRESH_SECONDS), drops this process's cache on commit and then tells the
registered hooks (services/changes.py), so open deadlines can be recomputed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from govhall.workdays.models import CalendarRevision
from govhall.workdays.queries.calendar import drop_cached_calendars
from govhall.workdays.services.changes import CalendarChange, notify_calendar_change


def calendar_changed(change: CalendarChange) -> None:
    """Bump the revision now (inside the transaction) and, once committed, drop this process's
    cache and tell the hooks."""
    CalendarRevision.objects.get_or_create(pk=1)
    CalendarRevision.objects.filter(pk=1).update(value=F("value") + 1)

    def after_commit() -> None:
        drop_cached_calendars()
        notify_calendar_change(change)

    transaction.on_commit(after_commit)
