"""The outbound webhook to the hotline against a REAL local HTTP server (no mocks): retried with
backoff until a 2xx, every attempt logged, signed, never posted twice, FAILED after the last
attempt and retried by hand."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from govhall.core.validation import Conflict
from govhall.feedback.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from govhall.feedback.services.work_order_webhook import (
    _claim,
    webhook_delivery_retry,
    webhook_send_due,
)
from govhall.feedback.services.work_orders import work_order_sign
from govhall.testing.parallel import run_at_once
from govhall.testing.work_orders import local_receiver, make_work_order

SECRET = "s3cret-of-the-hotline"
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def hook(settings):  # type: ignore[no-untyped-def]
    def configure(url: str, attempts: int = 8) -> None:
        settings.GOVHALL_HOTLINE_WEBHOOK_URL = url
        settings.GOVHALL_HOTLINE_WEBHOOK_SECRET = SECRET
        settings.GOVHALL_HOTLINE_WEBHOOK_BACKOFF_SECONDS = 30
        settings.GOVHALL_HOTLINE_WEBHOOK_ATTEMPTS = attempts
        settings.GOVHALL_HOTLINE_WEBHOOK_TIMEOUT_SECONDS = 5

    return configure


def signed_delivery(director, department, dept_leader) -> WebhookDelivery:  # type: ignore[no-untyped-def]
    order = make_work_order(actor=director, center=director.staff.center, department=department)
    work_order_sign(actor=dept_leader, order=order)
    return WebhookDelivery.objects.get(work_order=order)


@pytest.mark.django_db
def test_fails_twice_then_delivered_on_the_third_attempt(hook, director, department, dept_leader):
    delivery = signed_delivery(director, department, dept_leader)
    with local_receiver(SECRET, [500, 500]) as receiver:
        hook(receiver.url)
        assert webhook_send_due() == 0
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
        first_wait = delivery.next_attempt_at - WebhookAttempt.objects.get().attempted_at
        assert 30 * SECOND <= first_wait < 32 * SECOND
        # Not due yet: nothing is posted.
        assert webhook_send_due() == 0
        assert len(receiver.requests) == 1
        # The second attempt, due after 30 s, fails again; the next waits twice as long.
        assert webhook_send_due(now=timezone.now() + 31 * SECOND) == 0
        delivery.refresh_from_db()
        second = WebhookAttempt.objects.order_by("-id").first()
        assert second is not None
        assert 60 * SECOND <= delivery.next_attempt_at - second.attempted_at < 62 * SECOND
        assert webhook_send_due(now=timezone.now() + 55 * SECOND) == 0  # 60 s to wait now
        assert webhook_send_due(now=timezone.now() + 61 * SECOND) == 1
        # Nothing more to send.
        assert webhook_send_due(now=timezone.now() + 3600 * SECOND) == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert delivery.delivered_at is not None
    log = list(delivery.attempt_log.order_by("id").values_list("status_code", "error"))
    assert [code for code, _error in log] == [500, 500, 200]
    assert log[0][1] and not log[2][1]
    [acknowledged] = receiver.acknowledged()
    assert len(receiver.requests) == 3
    assert receiver.valid(acknowledged)
    headers = acknowledged["headers"]
    assert headers["X-Govhall-Delivery"] == delivery.key == "12345-0001:sign:1"
    assert headers["X-Govhall-Event"] == "sign"
    body = json.loads(acknowledged["body"])
    assert body == delivery.payload
    assert body["hotline_number"] == "12345-0001" and body["event"] == "sign"
    # A forged signature would not pass the receiver's check.
    forged = dict(acknowledged, body=acknowledged["body"] + b" ")
    assert not receiver.valid(forged)


@pytest.mark.django_db
def test_failed_after_the_last_attempt_and_retried_by_hand(hook, director, department, dept_leader):
    delivery = signed_delivery(director, department, dept_leader)
    with local_receiver(SECRET, [503, 500]) as receiver:
        hook(receiver.url, attempts=2)
        with pytest.raises(Conflict):
            webhook_delivery_retry(actor=director, delivery=delivery)
        webhook_send_due()
        webhook_send_due(now=timezone.now() + 31 * SECOND)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
        assert webhook_send_due(now=timezone.now() + 3600 * SECOND) == 0
        assert len(receiver.requests) == 2
        webhook_delivery_retry(actor=director, delivery=delivery)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
        assert webhook_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempt_log.count() == 3
    assert len(receiver.acknowledged()) == 1


@pytest.mark.django_db
def test_a_claimed_delivery_is_not_posted_by_a_second_sender(
    hook, director, department, dept_leader
):
    delivery = signed_delivery(director, department, dept_leader)
    with local_receiver(SECRET) as receiver:
        hook(receiver.url)
        now = timezone.now()
        assert _claim(delivery.pk, now) is not None  # sender A holds it
        assert _claim(delivery.pk, now) is None
        assert webhook_send_due(now=now) == 0  # sender B leaves it alone
        assert receiver.requests == []
        # A crashed sender's claim lapses after the timeout and a margin.
        assert webhook_send_due(now=now + 40 * SECOND) == 1
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_nothing_is_sent_without_a_url(settings, director, department, dept_leader):
    settings.GOVHALL_HOTLINE_WEBHOOK_URL = ""
    delivery = signed_delivery(director, department, dept_leader)
    assert webhook_send_due() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0


@pytest.mark.django_db
def test_an_unreachable_receiver_is_a_logged_failed_attempt(
    hook, director, department, dept_leader
):
    delivery = signed_delivery(director, department, dept_leader)
    with local_receiver(SECRET) as receiver:
        url = receiver.url
    hook(url)  # the server is gone: connection refused
    assert webhook_send_due() == 0
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and attempt.error


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real parallel senders (PostgreSQL)"
)
def test_two_senders_at_once_post_once(hook, director, department, dept_leader):
    delivery = signed_delivery(director, department, dept_leader)
    with local_receiver(SECRET, delay=0.3) as receiver:
        hook(receiver.url)
        results = run_at_once([webhook_send_due, webhook_send_due, webhook_send_due])
    assert sorted(results) == [0, 0, 1]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempt_log.count() == 1
