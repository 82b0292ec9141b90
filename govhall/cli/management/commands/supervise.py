"""`govhall supervise [--as-of YYYY-MM-DD[THH:MM]] [--full]`: run every supervision scan now.

The scans run as of the given moment (default: the clock), so a demo can move its clock forward
and watch reminders, then yellow cards, then red cards appear. A date alone means that day at
18:00, after the working day. It prints, for each scan, how many alerts it raised and withdrew,
then the alerts of this run (up to --limit of each kind). Bad input exits with status 2.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import IntegerField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import Event
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import Alert, AlertLevel, AlertSubject, WithdrawalReason
from govhall.supervision.services.scans import SCANS, run_scans_results

USAGE_ERROR = 2
DAY_ONLY_TIME = datetime.time(18, 0)  # a date alone: that day after the working day
FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def parse_moment(text: str) -> datetime.datetime:
    """`YYYY-MM-DD` (that day at 18:00) or `YYYY-MM-DDTHH:MM`, in the hall's time zone."""
    text = text.strip()
    try:
        day = datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        for form in FORMATS:
            try:
                moment = datetime.datetime.strptime(text, form)
                break
            except ValueError:
                continue
        else:
            raise CommandError(
                _(
                    "--as-of: %(text)s is not a date or a time; write it as YYYY-MM-DD or "
                    "YYYY-MM-DDTHH:MM, e.g. 2026-12-15 or 2026-12-15T09:30."
                )
                % {"text": text},
                returncode=USAGE_ERROR,
            ) from None
    else:
        moment = datetime.datetime.combine(day, DAY_ONLY_TIME)
    return timezone.make_aware(moment, timezone.get_current_timezone())


def scan_label(name: str) -> str:
    """The scan's name in words, as the registry keeps it (an unknown name as it is)."""
    scan = SCANS.get(name)
    return str(scan.label) if scan is not None else name


def _alerts_of_run(action: str, since: datetime.datetime) -> Any:
    """The alerts this run raised or withdrew: each wrote its event since `since`."""
    ids = (
        Event.objects.filter(at__gte=since, action=action, object_type=Alert._meta.label_lower)
        .annotate(alert_pk=Cast("object_id", IntegerField()))
        .values("alert_pk")
    )
    return (
        Alert.objects.filter(pk__in=ids)
        .select_related("rule", "responsible", "window")
        .order_by("rule__subject", "level", "id")
    )


def describe(alert: Alert) -> str:
    level = str(AlertLevel(alert.level).label)
    subject = str(AlertSubject(alert.rule.subject).label)
    detail = (alert.detail or alert.subject_key).rstrip(".。")
    parts = [f"{level:<4} " + _("%(subject)s: %(detail)s") % {"subject": subject, "detail": detail}]
    if alert.responsible is not None:
        parts.append(_("responsible: %(name)s") % {"name": alert.responsible.display_name})
    if alert.window is not None:
        parts.append(_("window %(number)s") % {"number": alert.window.number})
    if alert.points:
        parts.append(_("−%(points)s points") % {"points": alert.points})
    if alert.withdrawn_at is not None and alert.withdrawal_reason:
        reason = WithdrawalReason(alert.withdrawal_reason).label
        parts.append(_("why: %(reason)s") % {"reason": reason})
    return _("; ").join(parts)


class Command(BaseCommand):
    help = (
        "Run every supervision scan as of a moment (default: now) and print what each raised "
        "and withdrew, e.g. govhall supervise --as-of 2026-12-15 moves the demo's clock to that "
        "day (a date alone means 18:00 that day)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            dest="as_of",
            metavar="YYYY-MM-DD[THH:MM]",
            help="the moment to scan as of (default: now; a date alone means 18:00 that day)",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="look at everything again instead of what changed since the last scan",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=50,
            help="alerts listed of each kind, raised and withdrawn (default 50; 0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        moment = parse_moment(options["as_of"]) if options["as_of"] else timezone.now()
        limit = max(0, options["limit"])
        started = timezone.now()
        notify_log = logging.getLogger("govhall.notify")
        level = notify_log.level
        if options["verbosity"] < 2:  # the SMS log lines would bury the report (-v 2 shows them)
            notify_log.setLevel(logging.WARNING)
        try:
            results = run_scans_results(now=moment, full=options["full"])
        finally:
            notify_log.setLevel(level)
        local = timezone.localtime(moment)
        title = (
            _("Supervision scans as of %(moment)s (full)")
            if options["full"]
            else _("Supervision scans as of %(moment)s")
        )
        self.stdout.write(title % {"moment": f"{local:%Y-%m-%d %H:%M}"})
        for name, result in results.items():
            self.stdout.write(
                "  "
                + _("%(scan)s: %(raised)s raised, %(withdrawn)s withdrawn")
                % {"scan": scan_label(name), "raised": result.raised, "withdrawn": result.withdrawn}
            )
        for action, heading in (
            (SupervisionEvent.ALERT_RAISE, _("Raised:")),
            (SupervisionEvent.ALERT_WITHDRAW, _("Withdrawn:")),
        ):
            alerts = _alerts_of_run(action, started)
            total = alerts.count()
            if not total or not limit:
                continue
            self.stdout.write(heading)
            for alert in alerts[:limit]:
                self.stdout.write("  " + describe(alert))
            if total > limit:
                self.stdout.write(
                    "  " + _("… and %(more)s more (--limit)") % {"more": total - limit}
                )
