"""Background tasks of staffing (Celery; run in process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from govhall.staffing.services.presence import vacancies_scan_all


@shared_task(acks_late=True)
def scan_vacancies() -> int:
    """Scan every active center for empty posts (空岗); idempotent: an open vacancy is kept,
    never opened twice. Returns the alerts opened."""
    return vacancies_scan_all()
