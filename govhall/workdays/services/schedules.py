"""Importing and removing a year's national holiday schedule (SPEC §4).

Only a system administrator, or the system itself; every change is atomic, logged and announced
(services/_common.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.workdays.access.calendar import require_national_schedule_manager
from govhall.workdays.events import WorkdaysEvent
from govhall.workdays.models import ScheduleDay, ScheduleYear
from govhall.workdays.queries.work_calendar import END, EPOCH, ScheduleEntry
from govhall.workdays.schedule_file import MAX_NAME_LENGTH, check_workday_on_weekend
from govhall.workdays.services._common import calendar_changed
from govhall.workdays.services.changes import CalendarChange

# A State Council schedule lists about 30 days (holidays with their weekends, make-up days).
MAX_SCHEDULE_DAYS = 120
MAX_SOURCE_LENGTH = 200


def _year_errors(year: int, errors: FieldErrors) -> None:
    if not EPOCH.year <= year <= END.year:
        errors.add(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": EPOCH.year, "last": END.year},
        )


def _days_errors(year: int, days: Sequence[ScheduleEntry], errors: FieldErrors) -> None:
    if not days:
        errors.add("days", _("A schedule lists at least one day."))
    if len(days) > MAX_SCHEDULE_DAYS:
        errors.add(
            "days",
            _("A schedule lists at most %(max)s days; this one lists %(count)s.")
            % {"max": MAX_SCHEDULE_DAYS, "count": len(days)},
        )
    seen: set[datetime.date] = set()
    for entry in days:
        if entry.date.year != year:
            errors.add(
                "days",
                _("%(date)s is not in %(year)s.") % {"date": entry.date.isoformat(), "year": year},
            )
        if entry.date in seen:
            errors.add("days", _("%(date)s is listed twice.") % {"date": entry.date.isoformat()})
        seen.add(entry.date)
        if entry.is_workday and (problem := check_workday_on_weekend(entry.date)):
            errors.add("days", problem)
        if len(entry.name) > MAX_NAME_LENGTH:
            errors.add(
                "days",
                _("The name of %(date)s is longer than %(max)s characters.")
                % {"date": entry.date.isoformat(), "max": MAX_NAME_LENGTH},
            )


@transaction.atomic
def schedule_import(
    *,
    actor: User | None,
    year: int,
    days: Sequence[ScheduleEntry],
    source: str,
    system: bool = False,
) -> ScheduleYear:
    """Replace the imported national schedule of `year` (it then wins over the package).

    Only a system administrator, or the system (`actor` None, or `system=True` when the CLI
    records the import in a user's name)."""
    if not system:
        require_national_schedule_manager(actor)
    errors = FieldErrors()
    _year_errors(year, errors)
    _days_errors(year, days, errors)
    source = errors.text("source", source, max_length=MAX_SOURCE_LENGTH)
    errors.raise_if_any()
    schedule, created = ScheduleYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source, "imported_by": actor}
    )
    if not created:
        schedule.source = source
        schedule.imported_by = actor
        schedule.save(update_fields=["source", "imported_by", "updated_at"])
        ScheduleDay.objects.filter(schedule=schedule).delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, date=e.date, is_workday=e.is_workday, name=e.name)
        for e in sorted(days, key=lambda entry: entry.date)
    )
    holidays = sum(1 for e in days if not e.is_workday)
    record_event(
        actor=actor,
        action=WorkdaysEvent.SCHEDULE_IMPORT,
        obj=schedule,
        note=source,
        data={
            "year": year,
            "replaced": not created,
            "holidays": holidays,
            "workdays": len(days) - holidays,
        },
    )
    calendar_changed(
        CalendarChange(
            action=WorkdaysEvent.SCHEDULE_IMPORT,
            center_ids=None,
            years=frozenset({year}),
            since=datetime.date(year, 1, 1),
        )
    )
    return schedule


@transaction.atomic
def schedule_remove(*, actor: User | None, year: int) -> None:
    """Drop the imported schedule of `year`: the package (or weekends only) applies again.
    Only a system administrator or the system."""
    require_national_schedule_manager(actor)
    schedule = ScheduleYear.objects.select_for_update().filter(year=year).first()
    if schedule is None:
        raise ValidationError(
            {"year": _("No schedule was imported for %(year)s.") % {"year": year}}
        )
    record_event(
        actor=actor,
        action=WorkdaysEvent.SCHEDULE_REMOVE,
        obj=schedule,
        data={"year": year, "source": schedule.source},
    )
    schedule.delete()
    calendar_changed(
        CalendarChange(
            action=WorkdaysEvent.SCHEDULE_REMOVE,
            center_ids=None,
            years=frozenset({year}),
            since=datetime.date(year, 1, 1),
        )
    )
