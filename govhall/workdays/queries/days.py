"""Listing the calendar's stored exceptions: imported national schedules and a center's days."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from govhall.workdays.models import CenterDay, ScheduleYear


def imported_schedules() -> QuerySet[ScheduleYear]:
    return ScheduleYear.objects.select_related("imported_by").annotate(day_count=Count("days"))


def center_days(center_id: int, year: int | None = None) -> QuerySet[CenterDay]:
    days = CenterDay.objects.filter(center_id=center_id).select_related("created_by")
    if year is not None:
        days = days.filter(date__year=year)
    return days
