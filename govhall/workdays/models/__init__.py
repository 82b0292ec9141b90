"""The calendar's stored data (SPEC §4), one module per topic."""

from govhall.workdays.models.center_days import CenterDay
from govhall.workdays.models.revision import CalendarRevision
from govhall.workdays.models.schedules import ScheduleDay, ScheduleYear

__all__ = ["CalendarRevision", "CenterDay", "ScheduleDay", "ScheduleYear"]
