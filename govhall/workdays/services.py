"""Changes to the calendar: imported national schedules and per-center overrides (SPEC §4).

Every change is atomic and logged, bumps the calendar revision (so other processes drop their
cached calendars within GOVHALL_CALENDAR_REFRESH_SECONDS), drops this process's cache on commit
and then tells the registered hooks (changes.py), so open deadlines can be recomputed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.workdays.calendar import END, EPOCH, ScheduleEntry
from govhall.workdays.changes import CalendarChange, notify_calendar_change
from govhall.workdays.models import CalendarRevision, CenterDay, ScheduleDay, ScheduleYear
from govhall.workdays.permissions import (
    require_center_days_manager,
    require_national_schedule_manager,
)
from govhall.workdays.queries import calendar_for, drop_cached_calendars
from govhall.workdays.schedule_file import MAX_NAME_LENGTH, check_workday_on_weekend

# A State Council schedule lists about 30 days (holidays with their weekends, make-up days).
MAX_SCHEDULE_DAYS = 120
MAX_SOURCE_LENGTH = 200
MAX_REASON_LENGTH = 200


def _changed(change: CalendarChange) -> None:
    """Bump the revision now (inside the transaction) and, once committed, drop this process's
    cache and tell the hooks."""
    CalendarRevision.objects.get_or_create(pk=1)
    CalendarRevision.objects.filter(pk=1).update(value=F("value") + 1)

    def after_commit() -> None:
        drop_cached_calendars()
        notify_calendar_change(change)

    transaction.on_commit(after_commit)


def _check_year(year: int) -> None:
    if not EPOCH.year <= year <= END.year:
        raise ValidationError(
            {
                "year": _("The year must be between %(first)s and %(last)s.")
                % {"first": EPOCH.year, "last": END.year}
            }
        )


def _check_schedule_days(year: int, days: Sequence[ScheduleEntry]) -> None:
    problems: list[str] = []
    if not days:
        problems.append(_("A schedule lists at least one day."))
    if len(days) > MAX_SCHEDULE_DAYS:
        problems.append(
            _("A schedule lists at most %(max)s days; this one lists %(count)s.")
            % {"max": MAX_SCHEDULE_DAYS, "count": len(days)}
        )
    seen: set[datetime.date] = set()
    for entry in days:
        if entry.date.year != year:
            problems.append(
                _("%(date)s is not in %(year)s.") % {"date": entry.date.isoformat(), "year": year}
            )
        if entry.date in seen:
            problems.append(_("%(date)s is listed twice.") % {"date": entry.date.isoformat()})
        seen.add(entry.date)
        if entry.is_workday and (problem := check_workday_on_weekend(entry.date)):
            problems.append(problem)
        if len(entry.name) > MAX_NAME_LENGTH:
            problems.append(
                _("The name of %(date)s is longer than %(max)s characters.")
                % {"date": entry.date.isoformat(), "max": MAX_NAME_LENGTH}
            )
    if problems:
        raise ValidationError({"days": problems})


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
    _check_year(year)
    _check_schedule_days(year, days)
    source = source.strip()
    if len(source) > MAX_SOURCE_LENGTH:
        raise ValidationError(
            {"source": _("At most %(max)s characters.") % {"max": MAX_SOURCE_LENGTH}}
        )
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
        action="calendar.schedule_import",
        obj=schedule,
        note=source,
        data={
            "year": year,
            "replaced": not created,
            "holidays": holidays,
            "workdays": len(days) - holidays,
        },
    )
    _changed(
        CalendarChange(
            action="schedule_import",
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
        action="calendar.schedule_remove",
        obj=schedule,
        data={"year": year, "source": schedule.source},
    )
    schedule.delete()
    _changed(
        CalendarChange(
            action="schedule_remove",
            center_ids=None,
            years=frozenset({year}),
            since=datetime.date(year, 1, 1),
        )
    )


@transaction.atomic
def center_day_set(
    *, actor: User | None, center_id: int, date: datetime.date, kind: str, reason: str
) -> CenterDay:
    """Close a center on a working day, or open it on a day off (replacing an earlier entry
    for the same day). Only the managers of that center (its subtree's managers) or the system."""
    require_center_days_manager(actor, center_id)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if kind not in CenterDay.Kind.values:
        errors["kind"] = _("Choose closed or extra working day.")
    if not reason:
        errors["reason"] = _("Give the reason (for example a power outage or a flood).")
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = _("At most %(max)s characters.") % {"max": MAX_REASON_LENGTH}
    if not EPOCH <= date <= END:
        errors["date"] = _("The date must be between %(first)s and %(last)s.") % {
            "first": EPOCH.isoformat(),
            "last": END.isoformat(),
        }
    elif kind in CenterDay.Kind.values:
        national_workday = calendar_for(None).is_workday(date)
        if kind == CenterDay.Kind.CLOSED and not national_workday:
            errors["date"] = _(
                "%(date)s is not a working day anyway; a closure is only needed on a working day."
            ) % {"date": date.isoformat()}
        if kind == CenterDay.Kind.EXTRA_WORKDAY and national_workday:
            errors["date"] = _(
                "%(date)s is a working day already; an extra working day is a day off made a "
                "working day."
            ) % {"date": date.isoformat()}
    if errors:
        raise ValidationError(errors)
    day, created = CenterDay.objects.select_for_update().get_or_create(
        center_id=center_id,
        date=date,
        defaults={"kind": kind, "reason": reason, "created_by": actor},
    )
    if not created:
        day.kind, day.reason, day.created_by = kind, reason, actor
        day.save(update_fields=["kind", "reason", "created_by", "updated_at"])
    record_event(
        actor=actor,
        action="calendar.center_day_set",
        obj=day,
        center_id=center_id,
        note=reason,
        data={"date": date.isoformat(), "kind": kind, "replaced": not created},
    )
    _changed(
        CalendarChange(
            action="center_day_set",
            center_ids=frozenset({center_id}),
            years=frozenset({date.year}),
            since=date,
        )
    )
    return day


@transaction.atomic
def center_day_remove(*, actor: User | None, center_id: int, date: datetime.date) -> None:
    require_center_days_manager(actor, center_id)
    day = CenterDay.objects.select_for_update().filter(center_id=center_id, date=date).first()
    if day is None:
        raise ValidationError(
            {"date": _("There is no override on %(date)s.") % {"date": date.isoformat()}}
        )
    record_event(
        actor=actor,
        action="calendar.center_day_remove",
        obj=day,
        center_id=center_id,
        data={"date": date.isoformat(), "kind": day.kind, "reason": day.reason},
    )
    day.delete()
    _changed(
        CalendarChange(
            action="center_day_remove",
            center_ids=frozenset({center_id}),
            years=frozenset({date.year}),
            since=date,
        )
    )
