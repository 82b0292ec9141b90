"""The notification adapter (SPEC §2): one function for every SMS or e-mail the system sends.

`notify` is called from services inside `transaction.on_commit`, so nothing is sent for a change
that rolled back. The backend is chosen by the GOVHALL_NOTIFY_BACKEND setting (a dotted path to
a class with `deliver(message) -> None`); the default `OutboxBackend` stores the message in the
database (the outbox page) and writes it to the log. A gateway backend subclasses it and marks
the message sent or failed.

Every SMS starts with the signature GOVHALL_SMS_SIGNATURE (【…】, the one the gateway account
registered, as Chinese SMS gateways require): `notify` adds it here, once, so the outbox shows
the text as sent. A text already starting with a 【…】 signature has it replaced, never doubled.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from govhall.core.models import OutboundMessage

log = logging.getLogger("govhall.notify")

# --- purposes: what a message is for, by name -----------------------------------------------------
# Like event names (govhall.core.events), every app names the purposes of the messages it sends in
# a `TextChoices` class ("case.accepted", "appointment.remind", …) and registers it in its
# AppConfig.ready(); the outbox page shows the label, never the code (issue 17 item 11).

_PURPOSES: dict[str, Any] = {}


def register_purposes(names: type[models.TextChoices]) -> None:
    """Make an app's message purposes known (called from its AppConfig.ready)."""
    for value, label in names.choices:
        owner = _PURPOSES.get(value)
        assert owner is None or owner == label, f"purpose {value!r} registered twice"
        _PURPOSES[value] = label


def registered_purposes() -> dict[str, Any]:
    """{purpose: label} of every registered purpose."""
    return dict(_PURPOSES)


def purpose_label(purpose: str) -> str:
    """What the outbox shows for a purpose; the code itself only if nobody registered it."""
    label = _PURPOSES.get(purpose)
    return str(label) if label is not None else purpose


class OutboxBackend:
    """Stores messages; nothing leaves the machine."""

    name = "outbox"

    def deliver(self, message: OutboundMessage) -> None:
        log.info("%s to %s (%s): %s", message.channel, message.to, message.purpose, message.text)


_LEADING_SIGNATURE = re.compile(r"^\s*【[^【】]{1,30}】\s*")


def sms_signature() -> str:
    """The configured SMS signature in 【】 (brackets added when the setting has none)."""
    name = str(getattr(settings, "GOVHALL_SMS_SIGNATURE", "") or "").strip().strip("【】").strip()
    return f"【{name}】" if name else ""


def signed_sms_text(text: str) -> str:
    """`text` starting with the SMS signature exactly once."""
    signature = sms_signature()
    if not signature:
        return text
    return signature + _LEADING_SIGNATURE.sub("", text, count=1)


@cache
def _backend(path: str) -> OutboxBackend:
    backend_class = import_string(path)
    backend: OutboxBackend = backend_class()
    return backend


def notify(
    *,
    channel: str,
    to: str,
    text: str,
    purpose: str,
    obj: models.Model | None = None,
    center_id: int | None = None,
) -> OutboundMessage:
    backend = _backend(settings.GOVHALL_NOTIFY_BACKEND)
    if channel == "sms":
        text = signed_sms_text(text)
    message = OutboundMessage.objects.create(
        channel=channel,
        to=to,
        text=text,
        purpose=purpose,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        center_id=center_id,
        backend=getattr(backend, "name", type(backend).__name__),
    )
    try:
        backend.deliver(message)
    except Exception as error:  # a gateway failure must not undo the change that caused it
        log.exception("notification %s failed", message.pk)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.FAILED, error=str(error)[:2000]
        )
        message.status = OutboundMessage.Status.FAILED
    return message


def send_sms(
    *,
    to: str,
    text: str,
    purpose: str,
    obj: models.Model | None = None,
    center_id: int | None = None,
) -> OutboundMessage:
    return notify(channel="sms", to=to, text=text, purpose=purpose, obj=obj, center_id=center_id)
