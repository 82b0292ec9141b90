from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class Assignment(TimeStampedModel):
    """A period a staff member is stationed at a window for their department (窗口人员调整)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    trial_ends_on = models.DateField(_("trial ends"))
    override_reason = models.CharField(
        _("reason for overriding the rules"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["user", "-starts_on"]
        verbose_name = _("window assignment")
        verbose_name_plural = _("window assignments")
        indexes = [
            models.Index(fields=["window", "ends_on"], name="assignment_window_idx"),
            models.Index(fields=["user", "ends_on"], name="assignment_user_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(ends_on__isnull=True), name="assignment_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.window or self.department} {self.starts_on}"


class StaffFactKind(models.TextChoices):
    FAILED_ANNUAL_ASSESSMENT = "failed_annual_assessment", _("Failed annual assessment")
    VERIFIED_COMPLAINT = "verified_complaint", _("Verified complaint")
    CRITICISM_NOTICE = "criticism_notice", _("Criticism notice")
    MOST_UNSATISFACTORY = "most_unsatisfactory", _("Rated most unsatisfactory")
    # seeds/002… 二4: exposed and criticised by a media or higher-level inspection, and a
    # violation of the approval rules with serious consequences (issue 16 item 10).
    MEDIA_EXPOSURE = "media_exposure", _("Exposed by media or inspection")
    SERIOUS_VIOLATION = "serious_violation", _("Serious violation")


class StaffFact(models.Model):
    """A fact about a staff member that feeds the return-to-department rule. Assessment,
    complaints and ratings (later modules) record them; the rule reads them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_facts"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=StaffFactKind.choices)
    occurred_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["user", "-occurred_on"]
        verbose_name = _("staff fact")
        verbose_name_plural = _("staff facts")
        indexes = [models.Index(fields=["user", "kind", "occurred_on"], name="staff_fact_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.occurred_on}"


class ReturnDecision(TimeStampedModel):
    """Management's decision on a return-to-department warning (退回原单位, issue 16 item 10):
    the person's assignment ends and the department receives a printable notice. Facts up to
    the decision day are settled by it and no longer count towards a new warning."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_decisions"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("reasons"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("return decision")
        verbose_name_plural = _("return decisions")
        indexes = [models.Index(fields=["user", "decided_on"], name="return_decision_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.decided_on}"
