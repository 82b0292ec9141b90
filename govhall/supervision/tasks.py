"""Background tasks of supervision (Celery; run in process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from govhall.supervision.services.scan import scan_case_deadlines as _scan


@shared_task(acks_late=True)
def scan_case_deadlines() -> int:
    """Raise and withdraw the case-deadline alerts (incremental; idempotent). Returns the alerts
    raised."""
    return _scan().raised
