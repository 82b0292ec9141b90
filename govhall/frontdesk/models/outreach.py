"""Service beyond the counter (issue 21 item 6; seeds/002… 三(一)3 "上门服务、跟踪服务、延时服务"):
extended service after closing (延时服务: a window finishes its line, recorded as overtime),
home and site visits (上门服务) and follow-up calls on key projects (跟踪服务).

The follow-up calls are their own two small models rather than a "kind" of visit: a visit is
one trip with a lifecycle (requested → scheduled → done), a key project is a standing relation
with a series of calls and the date the next one is due.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.idnumbers import mask_id, mask_name, mask_phone


class Overtime(models.Model):
    """延时服务: a window served the people still waiting after the hall's closing time. Opened
    by the clerk (or window head) at or after closing, closed when the line is done or by hand;
    `minutes` are counted from the closing time to the end."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="overtimes"
    )
    day = models.DateField(_("date"))
    closing_time = models.TimeField(_("closing time"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who served during it: the one who started it and everyone who finished a ticket there.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("served by"), related_name="overtimes"
    )
    minutes = models.PositiveIntegerField(_("minutes after closing"), default=0)
    tickets_served = models.PositiveIntegerField(_("tickets served"), default=0)
    waiting_at_start = models.PositiveIntegerField(_("waiting at the start"), default=0)

    class Meta:
        ordering = ["-day", "window__number", "-started_at"]
        verbose_name = _("extended service")
        verbose_name_plural = _("extended services")
        indexes = [models.Index(fields=["center", "day"], name="overtime_center_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(ended_at__isnull=True),
                name="overtime_one_open_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.day}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def closing_moment(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.day, self.closing_time),
            timezone.get_current_timezone(),
        )


class VisitReason(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Disabled")
    KEY_PROJECT = "key_project", _("Key project")
    OTHER = "other", _("Other")


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class HomeVisit(models.Model):
    """上门服务: staff go to the person (the elderly, the disabled) or the site (a key project)
    to take in or hand over a matter. Booked at the front desk or a window; the department's
    leader or the hall's director names who goes; the result is recorded."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("full name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("address"), max_length=300)
    reason = models.CharField(_("reason"), max_length=16, choices=VisitReason.choices)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.CharField(_("matter"), max_length=200)
    requested_date = models.DateField(_("requested date"))
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    assigned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("who goes"), related_name="home_visits"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.REQUESTED
    )
    result = models.TextField(_("result"), blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_date", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["center", "status"], name="home_visit_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "scheduled", "done", "cancelled"]),
                name="home_visit_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["elderly", "disabled", "key_project", "other"]),
                name="home_visit_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} ({self.requested_date})"

    @property
    def masked_name(self) -> str:
        return mask_name(self.person_name)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class KeyProject(models.Model):
    """跟踪服务: a key project the department follows with regular calls until it is done."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("project"), max_length=200)
    enterprise = models.CharField(_("enterprise"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), related_name="+", blank=True
    )
    next_call_due = models.DateField(_("next call due"), null=True, blank=True)
    is_active = models.BooleanField(_("followed"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_call_due", "name"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        indexes = [models.Index(fields=["center", "next_call_due"], name="key_project_due_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)


class FollowUp(models.Model):
    """One follow-up call on a key project: who called, what was said, when to call next."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("key project"), on_delete=models.CASCADE, related_name="calls"
    )
    called_on = models.DateField(_("date of the call"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("what was said"))
    next_due = models.DateField(_("next call due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-called_on", "-id"]
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")

    def __str__(self) -> str:
        return f"{self.project} {self.called_on}"
