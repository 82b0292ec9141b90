"""`govhall worker`: the periodic work of the hall, run in its own process.

The work: raise and withdraw the supervision alerts on case deadlines, scan every active
center for empty posts (空岗, SPEC §8: a leave approved yesterday
empties a post at this morning's opening without any write happening then, so a timer must
look), mark missed appointments as no-shows and send the day-before reminders, and forget public
progress inquiries older than a day (kept for the record), the rate-limit counters of windows
that ended and expired SMS codes. Each is a Celery task of its app (`<app>/tasks.py`).

With a broker (`GOVHALL_BROKER_URL`) this starts a Celery worker with the beat scheduler, which
sends the periodic tasks on `CELERY_BEAT_SCHEDULE`; more workers on other machines take
`--no-beat` (one scheduler per deployment). With no broker it runs every task in this process
every `--interval` seconds. `--once` runs one round in this process and exits (cron, tests).
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.tasks import prune_progress_lookups
from govhall.celery import app as celery_app
from govhall.core.tasks import prune_rate_counters
from govhall.feedback.tasks import send_hotline_webhooks, send_suggestion_summaries
from govhall.frontdesk.tasks import (
    mark_appointment_no_shows,
    prune_phone_codes,
    send_appointment_reminders,
)
from govhall.online.tasks import send_my_reminders
from govhall.staffing.tasks import scan_vacancies
from govhall.stats.tasks import make_period_reports
from govhall.supervision.tasks import run_supervision_scans


class Command(BaseCommand):
    help = (
        "Run the hall's periodic work (empty-post scans, appointments, pruning): a Celery "
        "worker with its scheduler when a broker is configured, else rounds every --interval "
        "seconds in this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="seconds between rounds when no broker is configured",
        )
        parser.add_argument(
            "--once", action="store_true", help="run one round in this process and exit"
        )
        parser.add_argument(
            "--no-beat",
            action="store_true",
            help="an extra Celery worker: run tasks, leave the scheduling to another worker",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=0,
            help="Celery worker processes (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self._round()
            return
        if settings.GOVHALL_BROKER_URL:
            self._celery_worker(beat=not options["no_beat"], concurrency=options["concurrency"])
            return
        if options["no_beat"]:
            raise CommandError(_("--no-beat needs a broker: set GOVHALL_BROKER_URL."))
        interval = max(5, options["interval"])
        while True:
            self._round()
            close_old_connections()
            time.sleep(interval)

    def _celery_worker(self, *, beat: bool, concurrency: int) -> None:
        argv = ["worker", "--loglevel=INFO", f"--hostname=govhall-{os.getpid()}@%h"]
        if beat:
            argv.append("--beat")
        if concurrency > 0:
            argv.append(f"--concurrency={concurrency}")
        celery_app.worker_main(argv)

    def _round(self) -> None:
        # Called directly, each task runs here and now, broker or not.
        opened = scan_vacancies()
        # Supervision: every scan (deadlines, steps, posts, attendance, patrol rounds...).
        alerts = run_supervision_scans()
        pruned = prune_progress_lookups()
        # Rate-limit windows that ended and expired SMS codes of the public doors.
        prune_rate_counters()
        prune_phone_codes()
        # Appointments: missed slots become no-shows; SMS the working day before.
        no_shows = mark_appointment_no_shows()
        reminded = send_appointment_reminders()
        # 12345 hotline: the due webhook deliveries (replies, sign-offs, send-backs).
        send_hotline_webhooks()
        # Suggestion box: the previous month's summary to the hall directors (once a month).
        send_suggestion_summaries()
        # Period reports (通报): last month's, quarter's and year's, once per center.
        make_period_reports()
        # My page (online hall): reminder SMS of supplements, pending materials, licences.
        send_my_reminders()
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
            _("%(time)s: deadline supervision: %(alerts)d new alert(s).")
            % {"time": timezone.localtime().strftime("%H:%M:%S"), "alerts": alerts}
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
