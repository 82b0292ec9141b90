"""Background tasks of the feedback app (Celery; run in process when no broker is configured).
Each part adds its own tasks."""

from __future__ import annotations

from celery import shared_task

from govhall.feedback.services.rating_invitations import rating_invitations_send
from govhall.feedback.services.suggestion_summary import suggestion_summaries_send
from govhall.feedback.services.work_order_webhook import webhook_send_due


@shared_task(acks_late=True)
def send_suggestion_summaries() -> int:
    """The previous month's suggestion-box summary to each center's hall directors, from the
    first working day of a month on, once per center and month. Returns the centers sent."""
    return suggestion_summaries_send()


@shared_task(acks_late=True)
def send_hotline_webhooks() -> int:
    """Send every due webhook delivery to the 12345 hotline (each claimed before it is posted,
    so two workers never post the same one). Returns how many were delivered."""
    return webhook_send_due()


@shared_task(acks_late=True)
def send_hotline_webhook(delivery_id: int) -> int:
    """Send one delivery right after the transition that queued it committed (when due)."""
    return webhook_send_due(delivery_id=delivery_id)


@shared_task(acks_late=True)
def send_rating_invitations() -> int:
    """One SMS inviting the citizen to rate each delivered case nobody rated, N working days
    after delivery (never twice: one RatingInvitation per case). Returns how many were sent."""
    return rating_invitations_send()
