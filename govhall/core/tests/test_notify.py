"""The notification adapter (SPEC §2): every message is stored in the outbox; a failing gateway
marks the message failed and never raises into the change that caused it."""

from __future__ import annotations

import logging

import pytest

from govhall.core.models import OutboundMessage
from govhall.core.notify import OutboxBackend, notify, send_sms

pytestmark = pytest.mark.django_db


class BrokenGateway(OutboxBackend):
    name = "broken"

    def deliver(self, message: OutboundMessage) -> None:
        raise ConnectionError("gateway timeout after 5 s")


class RecordingGateway(OutboxBackend):
    name = "recording"
    delivered: list[int] = []

    def deliver(self, message: OutboundMessage) -> None:
        RecordingGateway.delivered.append(message.pk)
        OutboundMessage.objects.filter(pk=message.pk).update(status=OutboundMessage.Status.SENT)


def test_default_backend_stores_and_logs(caplog, county):
    with caplog.at_level(logging.INFO, logger="govhall.notify"):
        message = send_sms(
            to="13812345678", text="您的办件已受理", purpose="accepted", obj=county, center_id=7
        )
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.channel == "sms" and stored.to == "13812345678"
    assert stored.text == "【政务服务中心】您的办件已受理" and stored.purpose == "accepted"
    assert stored.status == OutboundMessage.Status.STORED and stored.backend == "outbox"
    assert stored.object_type == "org.center" and stored.object_id == str(county.pk)
    assert stored.center_id == 7
    assert "您的办件已受理" in caplog.text


def test_failing_backend_marks_failed_and_does_not_raise(settings, caplog):
    settings.GOVHALL_NOTIFY_BACKEND = f"{__name__}.BrokenGateway"
    with caplog.at_level(logging.ERROR, logger="govhall.notify"):
        message = notify(channel="email", to="a@example.org", text="hi", purpose="test")
    assert message.status == OutboundMessage.Status.FAILED
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.FAILED and stored.backend == "broken"
    assert "gateway timeout" in stored.error
    assert "failed" in caplog.text


def test_gateway_backend_can_mark_sent(settings):
    settings.GOVHALL_NOTIFY_BACKEND = f"{__name__}.RecordingGateway"
    message = send_sms(to="13900001111", text="办结", purpose="decision")
    assert RecordingGateway.delivered[-1] == message.pk
    assert OutboundMessage.objects.get(pk=message.pk).status == OutboundMessage.Status.SENT


# --- issue 17 item 3: every SMS starts with the configured signature, once -------------------


def test_every_sms_starts_with_the_configured_signature_once(settings):
    settings.GOVHALL_SMS_SIGNATURE = "示例县政务服务"  # brackets are added
    plain = send_sms(to="13812345678", text="您的办件已受理", purpose="accepted")
    signed = send_sms(to="13812345678", text="【示例县政务服务】您的办件已受理", purpose="x")
    other = send_sms(to="13812345678", text="【某中心】 您的办件已受理", purpose="x")
    for message in (plain, signed, other):
        stored = OutboundMessage.objects.get(pk=message.pk)  # the outbox shows it as sent
        assert stored.text == "【示例县政务服务】您的办件已受理"
        assert stored.text.count("【") == 1


def test_the_default_signature_and_e_mail_unsigned(settings):
    assert settings.GOVHALL_SMS_SIGNATURE == "【政务服务中心】"
    mail = notify(channel="email", to="a@example.org", text="您好", purpose="test")
    assert OutboundMessage.objects.get(pk=mail.pk).text == "您好"
    settings.GOVHALL_SMS_SIGNATURE = ""
    sms = send_sms(to="13812345678", text="您好", purpose="test")
    assert OutboundMessage.objects.get(pk=sms.pk).text == "您好"
