"""12345 hotline work orders (SPEC §9; seeds/003… 12345 建议; issue 15 item 4).

Orders arrive from the hotline platform through the API (the hotline's own order number is the
idempotency key) or are typed in by staff. Their life is `work_order_transitions.py`: sign
(签收) within 1 working day or send back as not ours within 2; finish within 5 (咨询/求助) or 15
(投诉/举报) working days, one extension of up to 10 with a reason; the reply goes back to the
hotline through the outbound webhook (`WebhookDelivery`, signed, retried with backoff, every
attempt logged); a dissatisfied return visit sends the order back to be redone (发回重办).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WorkOrderKind(models.TextChoices):
    CONSULTATION = "consult", _("Consultation (咨询)")
    HELP = "help", _("Request for help (求助)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    REPORT = "report", _("Report (举报)")
    SUGGESTION = "suggest", _("Suggestion (建议)")


class WorkOrderStatus(models.TextChoices):
    RECEIVED = "received", _("Received, to sign")
    SIGNED = "signed", _("Signed, being handled")
    SENT_BACK = "sent_back", _("Sent back as not ours")
    REPLIED = "replied", _("Replied to the hotline")
    CLOSED = "closed", _("Closed after the return visit")


class WorkOrderSource(models.TextChoices):
    API = "api", _("Hotline platform (API)")
    STAFF = "staff", _("Typed in by staff")


class WorkOrder(models.Model):
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    # The hotline's own order number: one order per number (the API's idempotency key).
    hotline_number = models.CharField(_("hotline order number"), max_length=40, unique=True)
    source = models.CharField(_("source"), max_length=8, choices=WorkOrderSource.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=WorkOrderKind.choices)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), max_length=10000)
    citizen_name = models.CharField(_("citizen"), max_length=60, blank=True)
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WorkOrderStatus.choices,
        default=WorkOrderStatus.RECEIVED,
    )
    sign_due_at = models.DateTimeField(_("sign by"))
    send_back_due_at = models.DateTimeField(_("send back by"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finish_due_at = models.DateTimeField(_("finish by"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.CharField(_("extension reason"), max_length=1000, blank=True)
    send_back_reason = models.CharField(_("why not ours"), max_length=1000, blank=True)
    reply = models.TextField(_("reply"), max_length=10000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Return visits (回访): a dissatisfied one sends the order back to be redone.
    redo_count = models.PositiveSmallIntegerField(_("sent back to redo"), default=0)
    return_visit_satisfied = models.BooleanField(_("satisfied on return visit"), null=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("12345 work order")
        verbose_name_plural = _("12345 work orders")
        indexes = [
            models.Index(fields=["center", "received_at"], name="work_order_period_idx"),
            models.Index(fields=["status", "finish_due_at"], name="work_order_due_idx"),
            models.Index(fields=["department", "status"], name="work_order_dept_idx"),
        ]

    def __str__(self) -> str:
        return self.hotline_number


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up after the last retry")


class WebhookDelivery(models.Model):
    """One message to the hotline platform (a reply, a send-back, a sign), sent at most once
    successfully: `key` is unique, and the sender claims a row before it posts."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="deliveries")
    key = models.CharField(max_length=80, unique=True)
    event = models.CharField(max_length=24)
    payload = models.JSONField()
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # Claimed by a sender until this moment (a crashed sender's claim lapses).
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.key


class WebhookAttempt(models.Model):
    """Every attempt at a delivery, kept (the log the hotline's operators ask for)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.PROTECT, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} · {self.attempted_at:%Y-%m-%d %H:%M:%S}"
