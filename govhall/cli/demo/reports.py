"""Demo period reports (通报, issue 18 item 4): last month's monthly report of the demo county
and of each town, as the worker makes them, so a director can open and download one at once.
Idempotent: a center and month that already has a report is left alone."""

from __future__ import annotations

from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.org.models import Center
from govhall.org.models.centers import CenterLevel
from govhall.stats.models import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.queries.report_content import previous_period
from govhall.stats.services.reports import stats_report_generate


def load_demo_reports() -> int:
    """Returns how many reports were made."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None:
        return 0
    first, _last = previous_period(ReportPeriod.MONTH, timezone.localdate())
    centers = Center.objects.subtree_of(county).filter(
        level__in=(CenterLevel.COUNTY, CenterLevel.TOWN)
    )
    done = set(
        StatsReport.objects.filter(period=ReportPeriod.MONTH, first=first).values_list(
            "center_id", flat=True
        )
    )
    made = 0
    for center in centers.exclude(pk__in=done).order_by("path"):
        stats_report_generate(
            actor=None,
            center=center,
            kind=ReportPeriod.MONTH,
            day=first,
            trigger=ReportTrigger.SCHEDULE,
        )
        made += 1
    return made
