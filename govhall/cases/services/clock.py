"""Deadlines of cases and their recomputation when the calendar changes. OWNER: helper H1.

CONTRACT:
def on_calendar_change(change: CalendarChange) -> None
"""

from __future__ import annotations

from govhall.workdays.changes import CalendarChange


def on_calendar_change(change: CalendarChange) -> None:
    """Placeholder until H1 lands the recomputation."""
