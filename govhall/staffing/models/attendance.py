from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class Attendance(TimeStampedModel):
    """One staff member's day: both sessions' sign-in and sign-out judged against the center's
    hours (seeds/002… 五: at the post 10 minutes before the morning AND the afternoon opening).

    `signed_in_at`/`late_minutes` are the morning arrival, `signed_out_at`/`early_leave_minutes`
    the afternoon (day's) departure; the `morning_signed_out_at` and `afternoon_signed_in_at`
    pair is the midday break. An `*_excused` flag is set when the hall director accepted an
    explanation of that lapse (`AttendanceExplanation`): the minutes stay on record, but the
    monthly report and the supervision scan no longer count them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    early_leave_minutes = models.PositiveIntegerField(_("minutes left early"), default=0)
    morning_signed_out_at = models.DateTimeField(_("signed out at midday"), null=True, blank=True)
    afternoon_signed_in_at = models.DateTimeField(
        _("signed in for the afternoon"), null=True, blank=True
    )
    morning_early_leave_minutes = models.PositiveIntegerField(
        _("minutes left the morning early"), default=0
    )
    afternoon_late_minutes = models.PositiveIntegerField(
        _("minutes late in the afternoon"), default=0
    )
    morning_late_excused = models.BooleanField(_("morning lateness explained"), default=False)
    afternoon_late_excused = models.BooleanField(_("afternoon lateness explained"), default=False)
    morning_early_excused = models.BooleanField(_("morning early leave explained"), default=False)
    afternoon_early_excused = models.BooleanField(
        _("afternoon early leave explained"), default=False
    )
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


class Lapse(models.TextChoices):
    """A lateness or early leave of one session: what an explanation is about."""

    MORNING_LATE = "morning_late", _("Late in the morning")
    AFTERNOON_LATE = "afternoon_late", _("Late in the afternoon")
    MORNING_EARLY = "morning_early", _("Left the morning early")
    AFTERNOON_EARLY = "afternoon_early", _("Left the afternoon early")


#: Each lapse: (the minutes field of the attendance row, its excused flag).
LAPSE_FIELDS = {
    Lapse.MORNING_LATE.value: ("late_minutes", "morning_late_excused"),
    Lapse.AFTERNOON_LATE.value: ("afternoon_late_minutes", "afternoon_late_excused"),
    Lapse.MORNING_EARLY.value: ("morning_early_leave_minutes", "morning_early_excused"),
    Lapse.AFTERNOON_EARLY.value: ("early_leave_minutes", "afternoon_early_excused"),
}


class ExplanationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the hall director")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class AttendanceExplanation(TimeStampedModel):
    """A staff member's explanation of a lateness or early leave to the hall director, who
    accepts or rejects it (seeds/000… 篇5 考勤 2; lifecycle: staffing/explanation_transitions.py).
    One per attendance row and lapse."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="explanations"
    )
    lapse = models.CharField(_("lapse"), max_length=16, choices=Lapse.choices)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExplanationStatus.choices,
        default=ExplanationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance explanation")
        verbose_name_plural = _("attendance explanations")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "lapse"], name="attendance_explanation_one_per_lapse"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "rejected"]),
                name="attendance_explanation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    lapse__in=["morning_late", "afternoon_late", "morning_early", "afternoon_early"]
                ),
                name="attendance_explanation_lapse_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="att_explanation_status_idx")]

    def __str__(self) -> str:
        return f"{self.attendance} {self.lapse}"
