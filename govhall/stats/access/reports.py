"""Who lists, downloads and generates the period reports (通报, issue 18 item 4).

A report covers a whole center subtree, so it is read by those who read the statistics of a
center (`can_view_stats`) without being bound to one department (a department leader or window
head reads their department's figures on the figures page, not the center's report). They see
the reports of the centers in their scope: a town director the town's and its villages', never
the county's. Generating one on demand is for the managers of that center (`manages_center`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.stats.access.stats import can_view_stats
from govhall.stats.models.reports import StatsReport


def can_read_stats_reports(user: object) -> bool:
    scope = scope_of(user)
    return can_view_stats(user) and (scope.everything or scope.department_id is None)


def can_generate_stats_reports(user: object) -> bool:
    return can_read_stats_reports(user) and scope_of(user).can_manage


def can_generate_report_of(user: object, center_id: int) -> bool:
    return can_generate_stats_reports(user) and manages_center(user, center_id)


def reports_in_scope(user: object) -> QuerySet[StatsReport]:
    if not can_read_stats_reports(user):
        return StatsReport.objects.none()
    return StatsReport.objects.filter(center__in=centers_in_scope(user))


def access_stats_report(user: object, report_id: object, *, for_write: bool = False) -> StatsReport:
    """The report, or 404 when missing or outside the user's scope (reports are never
    written: `for_write` is refused)."""
    if for_write:
        raise Http404
    try:
        pk = int(str(report_id))
    except ValueError:
        raise Http404 from None
    report = reports_in_scope(user).select_related("center", "generated_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
