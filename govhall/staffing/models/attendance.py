from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class Attendance(TimeStampedModel):
    """One staff member's day: sign-in and sign-out judged against the center's hours."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    early_leave_minutes = models.PositiveIntegerField(_("minutes left early"), default=0)
    missed_sign_in = models.BooleanField(_("missed sign-in"), default=False)
    on_leave = models.BooleanField(_("on leave"), default=False)
    sign_in_address = models.GenericIPAddressField(_("sign-in address"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        indexes = [models.Index(fields=["center", "date"], name="attendance_center_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="attendance_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date}"


class HallNetwork(models.Model):
    """An address range of the hall's network; when a center has any, sign-in only from them."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    cidr = models.CharField(_("address range (CIDR)"), max_length=64)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["center", "cidr"]
        verbose_name = _("hall network")
        verbose_name_plural = _("hall networks")
        constraints = [
            models.UniqueConstraint(fields=["center", "cidr"], name="hall_network_unique")
        ]

    def __str__(self) -> str:
        return self.cidr
