from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    BUSINESS_TRIP = "business_trip", _("Business trip")
    TRAINING = "training", _("Training")
    FIELD_WORK = "field_work", _("Field work")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveQuerySet(models.QuerySet["Leave"]):
    def approved(self) -> LeaveQuerySet:
        return self.filter(status=LeaveStatus.APPROVED)

    def covering(self, moment: object) -> LeaveQuerySet:
        """Leaves whose period contains `moment`."""
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class Leave(TimeStampedModel):
    """A leave request (请假). Approved by the window head, or by center management when it
    lasts 2 working days or more (SPEC §8)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leaves"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    working_days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1, default=0)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    needs_management = models.BooleanField(_("needs center management's approval"), default=False)
    # For leave of 2 working days or more the window head endorses first and center management
    # decides (issue 5: "A asks for two days' leave, the head approves"; SPEC §8: management
    # approves 2 days or more).
    head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_approved_at = models.DateTimeField(
        _("endorsed by the window head at"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    objects = LeaveQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        indexes = [
            models.Index(fields=["user", "status", "starts_at"], name="leave_user_period_idx"),
            models.Index(fields=["center", "status", "starts_at"], name="leave_center_period_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "cancelled"]),
                name="leave_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "personal",
                        "sick",
                        "annual",
                        "business_trip",
                        "training",
                        "field_work",
                    ]
                ),
                name="leave_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="leave_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        # No kind here: the text is copied into the event log, which supervisors read.
        return f"{self.user} {self.starts_at:%Y-%m-%d}"
