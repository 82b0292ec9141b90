"""Generating the period reports (通报, issue 18 item 4).

Entry points:
def stats_report_generate(*, actor, center, kind, day, trigger, now=None) -> StatsReport
def stats_reports_schedule(*, today=None, now=None) -> int

A report is the figures of `center`'s subtree over the month, quarter or year holding `day`
(`queries.report_content`), stored with its workbook and PDF. It never changes afterwards;
generating the same period again (on demand) makes the next version. The worker calls
`stats_reports_schedule`: for each active center and each kind in GOVHALL_STATS_REPORT_PERIODS,
the last whole period gets ONE scheduled report, GOVHALL_STATS_REPORT_DELAY_DAYS after it ended
(so late entries of its last day are in); a period that already has a report of any version is
left alone, so running the task again makes nothing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.org.models import Center
from govhall.stats.events import StatsEvent
from govhall.stats.models.reports import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.queries.report_content import (
    period_bounds,
    previous_period,
    report_content,
    report_title,
)
from govhall.stats.report_files import report_pdf, report_xlsx
from govhall.stats.services.rollups import refresh_changed


def scheduled_kinds() -> list[str]:
    kinds = [k.strip() for k in settings.GOVHALL_STATS_REPORT_PERIODS.split(",") if k.strip()]
    return [k for k in kinds if k in ReportPeriod.values]


def stats_report_generate(
    *,
    actor: User | None,
    center: Center,
    kind: str,
    day: datetime.date,
    trigger: str = ReportTrigger.DEMAND,
    now: datetime.datetime | None = None,
) -> StatsReport:
    """Generate the report of the period of `kind` holding `day` (the next version). The case
    rollups are brought up to date first, so the report has every case changed until now."""
    refresh_changed()
    return _generate(actor=actor, center=center, kind=kind, day=day, trigger=trigger, now=now)


@transaction.atomic
def _generate(
    *,
    actor: User | None,
    center: Center,
    kind: str,
    day: datetime.date,
    trigger: str,
    now: datetime.datetime | None,
) -> StatsReport:
    moment = now or timezone.now()
    if kind not in ReportPeriod.values:
        raise ValidationError({"period": _("Choose monthly, quarterly or yearly.")})
    first, last = period_bounds(kind, day)
    if first > timezone.localdate(moment):
        raise ValidationError({"day": _("The period has not begun yet.")})
    content = report_content(center, kind, first, last, now=moment)
    title = report_title(center, kind, first)
    generated = formats.date_format(timezone.localtime(moment), "Y-m-d H:i")
    previous = (
        StatsReport.objects.filter(center=center, period=kind, first=first).aggregate(
            n=Max("version")
        )["n"]
        or 0
    )
    report = StatsReport.objects.create(
        center=center,
        period=kind,
        first=first,
        last=last,
        version=previous + 1,
        trigger=trigger,
        generated_at=moment,
        generated_by=actor if actor is not None and actor.is_authenticated else None,
        title=title,
        content=content.as_dict(),
        xlsx=report_xlsx(title, content, generated),
        pdf=report_pdf(title, content, generated),
    )
    record_event(
        actor=actor,
        action=StatsEvent.REPORT_GENERATE,
        obj=report,
        center_id=center.pk,
        data={
            "period": kind,
            "first": first.isoformat(),
            "version": report.version,
            "trigger": trigger,
        },
    )
    return report


def stats_reports_schedule(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> int:
    """Make the scheduled reports now due; returns how many were made by this call."""
    moment = now or timezone.now()
    day = today or timezone.localdate(moment)
    delay = datetime.timedelta(days=settings.GOVHALL_STATS_REPORT_DELAY_DAYS)
    made = 0
    centers = list(Center.objects.filter(is_active=True).order_by("path"))
    refreshed = False
    for kind in scheduled_kinds():
        first, last = previous_period(kind, day)
        if day < last + datetime.timedelta(days=1) + delay:
            continue
        done = set(
            StatsReport.objects.filter(period=kind, first=first).values_list("center_id", flat=True)
        )
        for center in centers:
            if center.pk in done:
                continue
            if not refreshed:
                refresh_changed()  # the case rollups up to date, once per run
                refreshed = True
            try:
                _generate(
                    actor=None,
                    center=center,
                    kind=kind,
                    day=first,
                    trigger=ReportTrigger.SCHEDULE,
                    now=moment,
                )
            except IntegrityError:
                continue  # another worker made it at the same moment
            made += 1
    return made
