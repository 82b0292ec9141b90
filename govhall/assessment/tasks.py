"""Background tasks of the assessment (Celery; run in process when no broker is configured)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from govhall.assessment.months import month_start
from govhall.assessment.services.fill import score_sheets_fill


@shared_task(acks_late=True)
def fill_score_sheets(today: str | None = None) -> int:
    """Fill the current month's sheets from the alerts (and the previous month's during its
    first GOVHALL_ASSESSMENT_PREVIOUS_MONTH_DAYS days, for the alerts of its last days).
    Returns the entries added."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    months = [month_start(day)]
    if day.day <= settings.GOVHALL_ASSESSMENT_PREVIOUS_MONTH_DAYS:
        months.append(month_start(months[0] - datetime.timedelta(days=1)))
    return sum(score_sheets_fill(month=month).entries_added for month in months)
