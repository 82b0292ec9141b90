"""Messages (SMS) sent to people, logged whether or not the gateway took them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """A notification handed to the adapter (SPEC §2). The default backend only stores it here
    (the outbox); a real SMS gateway backend marks it sent or failed."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        STORED = "stored", _("Stored in the outbox")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=200)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    center_id = models.BigIntegerField(_("center"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=64)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.STORED
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(fields=["center_id", "created_at"], name="outbox_center_idx"),
            models.Index(fields=["object_type", "object_id"], name="outbox_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["sms", "email"]), name="outbox_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["stored", "sent", "failed"]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} #{self.pk}"
