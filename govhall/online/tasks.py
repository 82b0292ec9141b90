"""Background tasks of the online hall (Celery; run in process when no broker is configured).
Each item adds its own tasks."""

from __future__ import annotations

from celery import shared_task

from govhall.online.services.reminders import my_reminders_send


@shared_task(acks_late=True)
def send_my_reminders() -> int:
    """My page's reminder SMS (issue 19 item 3): a supplement asked, green-channel materials
    due, a licence about to expire; at most one per thing and account every
    GOVHALL_MY_REMINDER_SMS_EVERY_DAYS days. Returns how many were sent."""
    return my_reminders_send()
