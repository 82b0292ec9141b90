"""`govhall deadline START DAYS [--center CODE]`: the end date of a working-day limit.

The first line of output is the end date (YYYY-MM-DD) so scripts can read it; warnings go to
stderr. Bad input exits with status 2.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar

USAGE_ERROR = 2


def parse_date_argument(text: str, what: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(
            _("%(what)s: %(text)s is not a date; write it as YYYY-MM-DD.")
            % {"what": what, "text": text},
            returncode=USAGE_ERROR,
        ) from None


def parse_count_argument(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = None
    if days is None or days < 0:
        raise CommandError(
            _("days: %(text)s is not a whole number of working days (0 or more).") % {"text": text},
            returncode=USAGE_ERROR,
        )
    return days


def center_id_for_code(code: str | None) -> int | None:
    if code is None:
        return None
    center_id = Center.objects.filter(code=code).values_list("pk", flat=True).first()
    if center_id is None:
        raise CommandError(
            _("--center: there is no center with code %(code)s.") % {"code": code},
            returncode=USAGE_ERROR,
        )
    return center_id


def warn_uncovered(
    command: BaseCommand, calendar: WorkCalendar, first: datetime.date, last: datetime.date
) -> None:
    for year in calendar.uncovered_years(range(first.year, last.year + 1)):
        command.stderr.write(
            _(
                "Warning: the national holiday schedule for %(year)s is not loaded; weekends "
                "only were used for that year (import it with govhall import-calendar)."
            )
            % {"year": year}
        )


class Command(BaseCommand):
    help = (
        "Print the end date of a limit of DAYS working days counted from START (the start day "
        "is not counted), e.g. govhall deadline 2025-09-30 5 prints 2025-10-14."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="start date, YYYY-MM-DD (not counted)")
        parser.add_argument("days", help="number of working days, 0 or more")
        parser.add_argument(
            "--center", metavar="CODE", help="apply the closures and extra days of this center"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_date_argument(options["start"], "start")
        days = parse_count_argument(options["days"])
        calendar = calendar_for(center_id_for_code(options["center"]))
        try:
            end = calendar.add_workdays(start, days)
        except CalendarRangeError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        self.stdout.write(end.isoformat())
        warn_uncovered(self, calendar, start, end)
