"""Appointments (预约服务, SPEC §7; seeds/000… 篇1 预约服务): slots with capacity per group,
bookings from the portal and by staff, off-hours requests assigned to a named staff member."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.idnumbers import mask_id, mask_name, mask_phone


class Slot(models.Model):
    """A bookable period of one group on one day. Rows are made on demand from the center's
    service hours; `booked` is a counter raised only while it is below `capacity`."""

    group = models.ForeignKey(
        "frontdesk.ServiceGroup", on_delete=models.PROTECT, related_name="slots"
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    closed_reason = models.CharField(_("closed because"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "date", "starts"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "starts"], name="slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="slot_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def free(self) -> int:
        return 0 if self.closed_reason else max(0, self.capacity - self.booked)


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Off-hours request, awaiting approval")
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Request declined")


# Statuses that hold the person's one appointment of the day.
HOLDING_STATUSES = ("requested", "booked", "checked_in", "served")


class AppointmentChannel(models.TextChoices):
    PORTAL = "portal", _("Online hall")
    PHONE = "phone", _("Phone booking by staff")
    DESK = "desk", _("At the front desk")
    API = "api", _("Other system (API)")


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def in_centers(self, centers: models.QuerySet) -> AppointmentQuerySet:
        return self.filter(center__in=centers)

    def holding(self) -> AppointmentQuerySet:
        return self.filter(status__in=HOLDING_STATUSES)


class Appointment(models.Model):
    center = models.ForeignKey(
        "org.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    group = models.ForeignKey(
        "frontdesk.ServiceGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    # The same moments as aware datetimes (filled from date/starts/ends on save), so "has it
    # ended", "was the check-in in time" and overlaps with an outage are plain SQL comparisons.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Short code the applicant shows or types at the kiosk to check in.
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=20)
    matter = models.CharField(_("matter"), max_length=200, blank=True)
    # The item the citizen chose as their matter (issue 17 item 1); `matter` keeps its name.
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=AppointmentChannel.choices)
    status = models.CharField(_("status"), max_length=12, choices=AppointmentStatus.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    # Off-hours (before or after hours, or on a non-working day): a manager approves and names
    # the staff member who serves it; the time is recorded as that person's overtime.
    is_off_hours = models.BooleanField(_("off-hours"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appointments",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    overtime_minutes = models.PositiveSmallIntegerField(_("overtime (minutes)"), default=0)
    # The named staff member said they cannot serve it (issue 21 item 6; seeds/000… 篇1 六(四)):
    # the leader of their department (or the director) names someone else.
    cannot_serve_at = models.DateTimeField(_("cannot serve, said at"), null=True, blank=True)
    cannot_serve_note = models.CharField(_("why not"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=200, blank=True)
    # True when the hall cancelled it (outage): it does not count against the applicant.
    cancelled_by_hall = models.BooleanField(default=False)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rescheduled_to"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[AppointmentQuerySet] = AppointmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["date", "starts", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["center", "date", "status"], name="appointment_day_idx"),
            models.Index(fields=["id_number", "status", "date"], name="appointment_person_idx"),
            models.Index(fields=["status", "date"], name="appointment_status_idx"),
            models.Index(fields=["status", "ends_at"], name="appointment_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "requested",
                        "booked",
                        "checked_in",
                        "served",
                        "no_show",
                        "cancelled",
                        "rejected",
                    ]
                ),
                name="appointment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["portal", "phone", "desk", "api"]),
                name="appointment_channel_valid",
            ),
            # One appointment per person per day (the database has the last word under races).
            models.UniqueConstraint(
                fields=["id_number", "date"],
                condition=Q(status__in=HOLDING_STATUSES),
                name="appointment_one_per_person_per_day",
            ),
            models.CheckConstraint(
                condition=Q(is_off_hours=True) | Q(slot__isnull=False),
                name="appointment_in_hours_has_slot",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="appointment_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.date} {self.starts:%H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        zone = timezone.get_current_timezone()
        self.starts_at = timezone.make_aware(
            datetime.datetime.combine(self.date, self.starts), zone
        )
        self.ends_at = timezone.make_aware(datetime.datetime.combine(self.date, self.ends), zone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "starts_at", "ends_at"}
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class PhoneCode(models.Model):
    """An SMS code confirming a phone number before a public booking holds a place (issue 12
    item 3). Only a keyed hash of the code is stored; `tries` counts every check (raised
    atomically, never past GOVHALL_PHONE_CODE_MAX_TRIES); `used_at` is set by the booking that
    consumed it."""

    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [models.Index(fields=["phone", "created_at"], name="phonecode_phone_idx")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.created_at:%Y-%m-%d %H:%M}"
