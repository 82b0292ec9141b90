"""Background tasks of the statistics (Celery; run in process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from govhall.stats.services.reports import stats_reports_schedule
from govhall.stats.services.rollups import refresh_changed


@shared_task(acks_late=True)
def refresh_rollups() -> int:
    """Bring the daily rollups up to date with the cases changed since the last run
    (incremental; idempotent). Returns the number of cases looked at."""
    return refresh_changed()


@shared_task(acks_late=True)
def make_period_reports() -> int:
    """The period reports (通报) now due, once each per center and period
    (stats/services/reports.py). Returns how many were made."""
    return stats_reports_schedule()
