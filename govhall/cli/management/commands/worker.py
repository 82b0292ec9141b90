"""`govhall worker`: the periodic work of the hall, run in its own process.

Every `--interval` seconds it scans every active center for empty posts (空岗, SPEC §8): a leave
approved yesterday empties a post at this morning's opening without any write happening then,
so a timer must look. Each round also forgets public progress inquiries older than a day (kept
for the record), the rate-limit counters of windows that ended, and expired SMS codes. `--once`
runs one round and exits (cron, tests).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.services.progress import progress_lookups_prune
from govhall.core.ratelimit import rate_counters_prune
from govhall.frontdesk.services.appointment_periodic import (
    appointments_mark_no_shows,
    appointments_send_reminders,
)
from govhall.frontdesk.services.phone_codes import phone_codes_prune
from govhall.staffing.services.presence import vacancies_scan_all


class Command(BaseCommand):
    help = (
        "Run the hall's periodic work (empty-post scans, pruning old progress inquiries) "
        "every --interval seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="run one round and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(5, options["interval"])
        while True:
            opened = vacancies_scan_all()
            pruned = progress_lookups_prune()
            # Rate-limit windows that ended and expired SMS codes of the public doors.
            rate_counters_prune()
            phone_codes_prune()
            # Appointments: missed slots become no-shows; SMS the working day before.
            no_shows = appointments_mark_no_shows()
            reminded = appointments_send_reminders()
            self.stdout.write(
                _(
                    "%(time)s: appointments: %(no_shows)d no-show(s) marked, "
                    "%(reminded)d reminder(s) sent."
                )
                % {
                    "time": timezone.localtime().strftime("%H:%M:%S"),
                    "no_shows": no_shows,
                    "reminded": reminded,
                }
            )
            self.stdout.write(
                _(
                    "%(time)s: empty-post scan done, %(opened)d new alert(s); "
                    "%(pruned)d old progress inquiries forgotten."
                )
                % {
                    "time": timezone.localtime().strftime("%H:%M:%S"),
                    "opened": opened,
                    "pruned": pruned,
                }
            )
            if options["once"]:
                return
            close_old_connections()
            time.sleep(interval)
