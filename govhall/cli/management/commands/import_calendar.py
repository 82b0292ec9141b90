"""`govhall import-calendar FILE --year YEAR`: import a year's national holiday schedule.

FILE is a text/CSV file or an .xlsx spreadsheet in the format of
govhall/workdays/schedule_file.py. Every bad line is reported and nothing changes (status 2);
a good file replaces any earlier import of that year and takes effect at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.cli.management.commands.deadline import USAGE_ERROR
from govhall.core.models import User
from govhall.workdays.queries.work_calendar import END, EPOCH
from govhall.workdays.schedule_file import MAX_FILE_BYTES, parse_schedule_file
from govhall.workdays.services.schedules import schedule_import


class Command(BaseCommand):
    help = (
        "Import the national holiday schedule of one year from a text/CSV or .xlsx file "
        "(lines like 2027-01-01,holiday,元旦 or 2027-02-20,班,春节调休)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="schedule file (.txt, .csv or .xlsx)")
        parser.add_argument("--year", type=int, required=True, help="the year the file covers")
        parser.add_argument("--source", default="", help="e.g. the notice number; default: file")
        parser.add_argument("--user", metavar="USERNAME", help="record the import as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not EPOCH.year <= year <= END.year:
            raise CommandError(
                _("--year must be between %(first)s and %(last)s.")
                % {"first": EPOCH.year, "last": END.year},
                returncode=USAGE_ERROR,
            )
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(
                    _("--user: there is no user %(name)s.") % {"name": options["user"]},
                    returncode=USAGE_ERROR,
                )
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror},
                returncode=USAGE_ERROR,
            ) from None
        parsed = parse_schedule_file(path.name, data, year=year)
        if not parsed.ok:
            for problem in parsed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) in %(file)s.")
                % {"count": len(parsed.problems), "file": path},
                returncode=USAGE_ERROR,
            )
        try:
            schedule_import(
                actor=actor,
                year=year,
                days=parsed.entries,
                source=options["source"] or path.name,
                system=True,  # the operator at the shell is the system; --user only recorded
            )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s).") % {"count": len(error.messages)},
                returncode=USAGE_ERROR,
            ) from None
        holidays = sum(1 for entry in parsed.entries if not entry.is_workday)
        self.stdout.write(
            _(
                "Imported the national schedule of %(year)s: %(holidays)s holidays and "
                "%(workdays)s make-up working days."
            )
            % {"year": year, "holidays": holidays, "workdays": len(parsed.entries) - holidays}
        )
