"""Background tasks of the front desk (Celery; run in process when no broker is configured).

Each is idempotent, so a task handed to another worker after a crash (`acks_late`) changes
nothing twice: a no-show is marked once, a reminder is sent once (`reminded_at`).
"""

from __future__ import annotations

from celery import shared_task

from govhall.frontdesk.services.appointment_periodic import (
    appointments_mark_no_shows,
    appointments_send_reminders,
)
from govhall.frontdesk.services.phone_codes import phone_codes_prune


@shared_task(acks_late=True)
def mark_appointment_no_shows() -> int:
    """Appointments whose slot passed without a check-in become no-shows. Returns how many."""
    return appointments_mark_no_shows()


@shared_task(acks_late=True)
def send_appointment_reminders() -> int:
    """SMS the working day before an appointment, once each. Returns how many were sent."""
    return appointments_send_reminders()


@shared_task(acks_late=True)
def prune_phone_codes() -> int:
    """Delete expired SMS codes of the public doors. Returns how many."""
    return phone_codes_prune()
