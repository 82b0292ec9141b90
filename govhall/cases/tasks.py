"""Background tasks of cases (Celery; run in process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from govhall.cases.services.progress import progress_lookups_prune


@shared_task(acks_late=True)
def prune_progress_lookups() -> int:
    """Forget public progress inquiries older than a day; idempotent. Returns how many."""
    return progress_lookups_prune()
