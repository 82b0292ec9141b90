"""The list of period reports (通报, issue 18 item 4) as the workbench page and the API show it:
the reports the caller may read (`access.reports.reports_in_scope`), narrowed by center, kind
(month, quarter, year) and the month they cover, newest first, without the stored files and
figures (a list never loads the workbook, the PDF or the content). One query per page plus the
count, whatever the number of reports."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from govhall.stats.models.reports import ReportPeriod, StatsReport


def reports_listed(
    reports: QuerySet[StatsReport],
    *,
    center_id: int | None = None,
    kind: str = "",
    month: datetime.date | None = None,
) -> QuerySet[StatsReport]:
    """`reports` (already limited to the caller's scope) with their center and author, narrowed
    to one center, one kind and the reports whose period holds `month`; an unknown kind is not a
    filter (the caller refuses it first when it must)."""
    listed = reports.select_related("center", "generated_by").defer("xlsx", "pdf", "content")
    if center_id is not None:
        listed = listed.filter(center_id=center_id)
    if kind in ReportPeriod.values:
        listed = listed.filter(period=kind)
    if month is not None:
        listed = listed.filter(first__lte=month, last__gte=month)
    return listed
