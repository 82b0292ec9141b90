"""First inquiries (首问负责制, SPEC §7; seeds/000… 篇1, 篇4/篇5; seeds/002… 咨询台)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InquiryChannel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    FAX = "fax", _("Fax")
    WEB = "web", _("Web")


class InquiryOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    GUIDED = "guided", _("Guided to a window")
    TRANSFERRED = "transferred", _("Transferred to a department")
    OUTSIDE = "outside", _("Outside our duties, explained")


class InquiryStatus(models.TextChoices):
    # A transferred matter stays open on the first responder's follow-up list until the
    # receiving department marks it done; every other outcome is done when it is logged.
    OPEN = "open", _("Being followed up")
    DONE = "done", _("Finished")


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def in_centers(self, centers: models.QuerySet) -> InquiryQuerySet:
        return self.filter(center__in=centers)

    def open(self) -> InquiryQuerySet:
        return self.filter(status=InquiryStatus.OPEN)

    def phone_book(self) -> InquiryQuerySet:
        """The phone record book (电话咨询记录本) is a view of phone inquiries."""
        return self.filter(channel=InquiryChannel.PHONE)


class Inquiry(models.Model):
    """One contact with the hall, logged by its first responder (首问责任人)."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="inquiries"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=InquiryChannel.choices)
    matter = models.TextField(_("matter"))
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first responder"),
        on_delete=models.PROTECT,
        related_name="first_inquiries",
    )
    # The window the first responder served at when logging it (none for the guide's desk).
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=InquiryOutcome.choices)
    answer = models.TextField(_("answer or explanation"), blank=True)
    guided_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("guided to window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("transferred to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_inquiries",
    )
    transferred_contact = models.CharField(_("receiving contact"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=InquiryStatus.choices, default=InquiryStatus.DONE
    )
    received_at = models.DateTimeField(_("received at"))
    # The receiving department takes a transferred matter on (签收), then marks it done.
    acknowledged_at = models.DateTimeField(_("taken on at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("result"), blank=True)

    objects: ClassVar[InquiryQuerySet] = InquiryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("first inquiry")
        verbose_name_plural = _("first inquiries")
        indexes = [
            models.Index(fields=["center", "received_at"], name="inquiry_center_idx"),
            models.Index(fields=["center", "channel", "received_at"], name="inquiry_channel_idx"),
            models.Index(
                fields=["first_responder", "status", "received_at"], name="inquiry_responder_idx"
            ),
            models.Index(fields=["transferred_department", "status"], name="inquiry_receiver_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["visit", "phone", "fax", "web"]),
                name="inquiry_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["answered", "guided", "transferred", "outside"]),
                name="inquiry_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done"]), name="inquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="guided") | Q(guided_window__isnull=False),
                name="inquiry_guided_has_window",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="transferred")
                | (Q(transferred_department__isnull=False) & ~Q(transferred_contact="")),
                name="inquiry_transfer_has_receiver",
            ),
            models.CheckConstraint(
                condition=Q(outcome="transferred") | Q(status="done"),
                name="inquiry_only_transfers_stay_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.matter[:40]}"
