"""The outbound webhook to the 12345 hotline platform (issue 15 item 4).

Every sign, send-back and reply of a work order queues one `WebhookDelivery` in the same
transaction (`delivery_queue`; its unique `key` is "<hotline number>:<event>:<n>"), and asks for
it to be sent after commit; the beat task `govhall.feedback.tasks.send_hotline_webhooks` sends
whatever is due as well (`webhook_send_due`).

The request: `POST GOVHALL_HOTLINE_WEBHOOK_URL` with the delivery's payload as a JSON object
(UTF-8, keys sorted) and the headers

    Content-Type: application/json; charset=utf-8
    X-Govhall-Event: sign | send_back | reply
    X-Govhall-Delivery: <key>            (the same on every retry: the receiver deduplicates)
    X-Govhall-Timestamp: <unix seconds of this attempt>
    X-Govhall-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<body>" with
                         GOVHALL_HOTLINE_WEBHOOK_SECRET>

The body: {"delivery", "event", "hotline_number", "status", "occurred_at", ...} with, for sign,
"signed_at", "department" {code, name}, "finish_due_at"; for send_back, "reason"; for reply,
"reply", "replied_at", "redo_count".

A 2xx answer marks the delivery delivered. Anything else (another status, a timeout, a refused
connection; redirects are not followed) is an attempt that failed: the next one waits
GOVHALL_HOTLINE_WEBHOOK_BACKOFF_SECONDS, doubling after each failure, and after
GOVHALL_HOTLINE_WEBHOOK_ATTEMPTS attempts the delivery is FAILED (management may retry it by
hand). Every attempt is a `WebhookAttempt`.

Never sent twice: a sender first claims the row with a conditional UPDATE (still pending, due,
not claimed by a live claim) that only one sender can win, posts outside any transaction, then
records the outcome. A claim lapses after the timeout and a margin, so a crashed sender's row is
taken up again. With no URL configured the deliveries are kept, not sent.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WorkOrder

logger = logging.getLogger(__name__)

SEND_TASK = "govhall.feedback.tasks.send_hotline_webhook"
SIGNATURE_HEADER = "X-Govhall-Signature"
TIMESTAMP_HEADER = "X-Govhall-Timestamp"
DELIVERY_HEADER = "X-Govhall-Delivery"
EVENT_HEADER = "X-Govhall-Event"
# A claim outlives the request's timeout by this margin before another sender may take the row.
CLAIM_MARGIN = datetime.timedelta(seconds=30)
ERROR_MAX = WebhookAttempt._meta.get_field("error").max_length or 500
BATCH = 100


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The JSON body exactly as sent (and signed)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of X-Govhall-Signature: "sha256=" and the hex HMAC of "<timestamp>.<body>"."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt: the base, doubling each time."""
    base = settings.GOVHALL_HOTLINE_WEBHOOK_BACKOFF_SECONDS
    return datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


# --- queueing (inside the transition's transaction) ----------------------------------------------


def delivery_queue(
    *, order: WorkOrder, event: str, payload: dict[str, Any], at: datetime.datetime
) -> WebhookDelivery:
    """Queue one message about `order` (locked by the caller) and send it after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("delivery_queue must run inside the transition's transaction")
    n = WebhookDelivery.objects.filter(work_order=order, event=event).count() + 1
    key = f"{order.hotline_number}:{event}:{n}"
    body = {
        "delivery": key,
        "event": event,
        "hotline_number": order.hotline_number,
        "status": order.status,
        "occurred_at": at.isoformat(),
        **payload,
    }
    delivery = WebhookDelivery.objects.create(
        work_order=order, key=key, event=event, payload=body, next_attempt_at=at
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


def enqueue_delivery(delivery_id: int) -> None:
    """Ask for one delivery to be sent now: to a Celery worker with a broker, inline in eager
    mode (tests, the CLI), else in a thread of this process (the request does not wait)."""
    if not settings.GOVHALL_HOTLINE_WEBHOOK_URL:
        return
    if settings.GOVHALL_BROKER_URL:
        current_app.send_task(SEND_TASK, args=[delivery_id])
    elif settings.GOVHALL_TASK_MODE == "eager":
        webhook_send_due(delivery_id=delivery_id)
    else:
        threading.Thread(target=_send_in_thread, args=(delivery_id,), daemon=True).start()


def _send_in_thread(delivery_id: int) -> None:
    try:
        webhook_send_due(delivery_id=delivery_id)
    except Exception:  # a background thread: log, the beat task retries
        logger.exception("hotline webhook delivery %s", delivery_id)
    finally:
        connections.close_all()


# --- sending -------------------------------------------------------------------------------------


def _due(now: datetime.datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(pk: int, now: datetime.datetime) -> datetime.datetime | None:
    """Claim one due delivery for this sender: one conditional UPDATE, which only one of two
    senders at once can win (the second finds the row no longer unclaimed). The claim's end,
    or None when someone else has it or it is not due."""
    until = now + datetime.timedelta(seconds=settings.GOVHALL_HOTLINE_WEBHOOK_TIMEOUT_SECONDS)
    until += CLAIM_MARGIN
    won = WebhookDelivery.objects.filter(_due(now), pk=pk).update(claimed_until=until)
    return until if won == 1 else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx answer is a failed attempt, never followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Post the delivery once: (HTTP status or None, error text)."""
    body = body_bytes(delivery.payload)
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        str(settings.GOVHALL_HOTLINE_WEBHOOK_URL or ""),
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: delivery.key,
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(
                str(settings.GOVHALL_HOTLINE_WEBHOOK_SECRET or ""), stamp, body
            ),
            "User-Agent": "govhall-webhook/1",
        },
    )
    timeout = settings.GOVHALL_HOTLINE_WEBHOOK_TIMEOUT_SECONDS
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason) or error.__class__.__name__


def _record(
    delivery: WebhookDelivery,
    claim: datetime.datetime,
    started: datetime.datetime,
    status_code: int | None,
    error: str,
    duration_ms: int,
) -> bool:
    """Log the attempt and move the delivery on; True when delivered."""
    delivered = status_code is not None and 200 <= status_code < 300
    finished = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=started,
            status_code=status_code,
            error=("" if delivered else error or f"HTTP {status_code}")[:ERROR_MAX],
            duration_ms=duration_ms,
        )
        attempts = delivery.attempts + 1
        mine = WebhookDelivery.objects.filter(pk=delivery.pk, claimed_until=claim)
        if delivered:
            mine.update(
                status=DeliveryStatus.DELIVERED,
                attempts=F("attempts") + 1,
                delivered_at=finished,
                claimed_until=None,
            )
        elif attempts >= settings.GOVHALL_HOTLINE_WEBHOOK_ATTEMPTS:
            mine.update(
                status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, claimed_until=None
            )
        else:
            mine.update(
                attempts=F("attempts") + 1,
                next_attempt_at=finished + backoff(attempts),
                claimed_until=None,
            )
    return delivered


def _send_one(pk: int, now: datetime.datetime) -> bool | None:
    """Claim, post and record one delivery; None when it was not ours to send."""
    claim = _claim(pk, now)
    if claim is None:
        return None
    delivery = WebhookDelivery.objects.get(pk=pk)
    started = timezone.now()
    clock = time.monotonic()
    status_code, error = _post(delivery)
    duration = int((time.monotonic() - clock) * 1000)
    return _record(delivery, claim, started, status_code, error, duration)


def webhook_send_due(
    *, now: datetime.datetime | None = None, delivery_id: int | None = None, limit: int = BATCH
) -> int:
    """Send the due deliveries (or only `delivery_id`, when due), oldest first, each claimed
    before it is posted; returns how many were delivered. Must not run inside a transaction (a
    post is never held inside one). Nothing is sent while no URL is configured."""
    if not settings.GOVHALL_HOTLINE_WEBHOOK_URL:
        return 0
    if transaction.get_connection().in_atomic_block and not settings.GOVHALL_TASK_MODE == "eager":
        raise RuntimeError("webhook_send_due posts outside transactions")
    moment = now or timezone.now()
    due = WebhookDelivery.objects.filter(_due(moment))
    if delivery_id is not None:
        due = due.filter(pk=delivery_id)
    delivered = 0
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        if _send_one(pk, moment):
            delivered += 1
    return delivered


# --- a retry by hand -----------------------------------------------------------------------------


@transaction.atomic
def webhook_delivery_retry(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Management sends a FAILED delivery again: pending, due now, a fresh round of attempts
    (the attempts so far stay in the log)."""
    found = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
    if found is None:
        raise ValidationError(_("No such delivery."))
    if found.status != DeliveryStatus.FAILED:
        raise Conflict(_("Only a delivery that failed after its last retry can be sent again."))
    now = timezone.now()
    found.status = DeliveryStatus.PENDING
    found.attempts = 0
    found.next_attempt_at = now
    found.claimed_until = None
    found.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
    order = WorkOrder.objects.only("pk", "center_id", "hotline_number").get(pk=found.work_order_id)
    record_event(
        actor=actor,
        action=FeedbackEvent.WEBHOOK_DELIVERY_RETRY,
        obj=order,
        center_id=order.center_id,
        data={"delivery": found.key},
    )
    transaction.on_commit(lambda: enqueue_delivery(found.pk))
    return found
