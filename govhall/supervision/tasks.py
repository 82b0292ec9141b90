"""Background tasks of supervision (Celery; run in process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from govhall.supervision.services.scans import run_scans


@shared_task(acks_late=True)
def run_supervision_scans() -> int:
    """Run every supervision scan (incremental; idempotent). Returns the alerts raised."""
    return sum(run_scans().values())
