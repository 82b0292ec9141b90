"""`govhall stats_rebuild [--center CODE] [--from YYYY-MM-DD]`: recompute the statistics'
daily rollups from the cases (all centers, or the center with that code and its subtree; every
day, or from that day on). The worker keeps them current between rebuilds. Bad input exits
with status 2.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.org.models import Center
from govhall.stats.services.rollups import rebuild

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Recompute the statistics' daily rollups from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", default="", help="code of a center (with its subtree)")
        parser.add_argument("--from", dest="since", default="", help="first day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        center_ids = None
        if options["center"]:
            center = Center.objects.filter(code=options["center"].strip()).first()
            if center is None:
                raise CommandError(
                    _("--center: no center has the code %(code)s.") % {"code": options["center"]},
                    returncode=USAGE_ERROR,
                )
            center_ids = list(Center.objects.subtree_of(center).values_list("pk", flat=True))
        since = None
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"].strip())
            except ValueError:
                raise CommandError(
                    _("--from: %(text)s is not a date; write it as YYYY-MM-DD.")
                    % {"text": options["since"]},
                    returncode=USAGE_ERROR,
                ) from None
        started = time.monotonic()
        rows = rebuild(center_ids=center_ids, since=since)
        self.stdout.write(
            _("%(rows)s rollup rows written in %(seconds).1f s.")
            % {"rows": rows, "seconds": time.monotonic() - started}
        )
