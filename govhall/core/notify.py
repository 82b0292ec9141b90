"""The notification adapter (SPEC §2): one function for every SMS or e-mail the system sends.

`notify` is called from services inside `transaction.on_commit`, so nothing is sent for a change
that rolled back. The backend is chosen by the GOVHALL_NOTIFY_BACKEND setting (a dotted path to
a class with `deliver(message) -> None`); the default `OutboxBackend` stores the message in the
database (the outbox page) and writes it to the log. A gateway backend subclasses it and marks
the message sent or failed.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from govhall.core.models import OutboundMessage

log = logging.getLogger("govhall.notify")


class OutboxBackend:
    """Stores messages; nothing leaves the machine."""

    name = "outbox"

    def deliver(self, message: OutboundMessage) -> None:
        log.info("%s to %s (%s): %s", message.channel, message.to, message.purpose, message.text)


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
