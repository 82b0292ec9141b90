"""`govhall workdays FIRST LAST [--center CODE]`: working days in a closed date range.

The first line of output is the number; warnings go to stderr. Bad input exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.cli.management.commands.deadline import (
    USAGE_ERROR,
    center_id_for_code,
    parse_date_argument,
    warn_uncovered,
)
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError


class Command(BaseCommand):
    help = (
        "Print the number of working days from FIRST to LAST, both included, e.g. "
        "govhall workdays 2025-10-01 2025-10-31 prints 18."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first", help="first date, YYYY-MM-DD (included)")
        parser.add_argument("last", help="last date, YYYY-MM-DD (included)")
        parser.add_argument(
            "--center", metavar="CODE", help="apply the closures and extra days of this center"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first = parse_date_argument(options["first"], "first")
        last = parse_date_argument(options["last"], "last")
        if last < first:
            raise CommandError(
                _("The range is reversed: %(last)s is before %(first)s.")
                % {"first": first.isoformat(), "last": last.isoformat()},
                returncode=USAGE_ERROR,
            )
        calendar = calendar_for(center_id_for_code(options["center"]))
        try:
            count = calendar.count_workdays(first, last)
        except CalendarRangeError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        self.stdout.write(str(count))
        warn_uncovered(self, calendar, first, last)
