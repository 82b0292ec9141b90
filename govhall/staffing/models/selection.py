"""Window staff from selection to return (issue 21 item 1; seeds/001… 调整办法 二–五, seeds/002…
二1–4): a department nominates a person by letter, the center interviews, the county leader
approves; the person is checked and trained before serving; the one-month trial ends with a
decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class SelectionStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated, waiting for the interview")
    INTERVIEWED = "interviewed", _("Interviewed, waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SelectionPostKind(models.TextChoices):
    """Which age limit applies (settings: GOVHALL_SELECTION_MAX_AGE_*)."""

    ORDINARY = "ordinary", _("Window staff")  # ≤ 40
    SPECIAL = "special", _("Window staff of a post needing long experience")  # ≤ 45
    HEAD = "head", _("Window head")  # ≤ 50 and 科股级


class StaffSelection(TimeStampedModel):
    """One nomination (推荐) of a person for window service and its three steps."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    post_kind = models.CharField(
        _("post"), max_length=12, choices=SelectionPostKind.choices, default="ordinary"
    )
    # The candidate (a person of the department, not yet a user of ours).
    candidate_name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=8, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=50, blank=True)
    current_post = models.CharField(_("current post"), max_length=100, blank=True)
    is_established = models.BooleanField(_("on the establishment (在编)"), default=False)
    is_section_rank = models.BooleanField(_("section or unit rank (科股级)"), default=False)
    # The nomination letter (推荐函): its number and a scanned copy (core/files.store_checked).
    letter_number = models.CharField(_("letter number"), max_length=64)
    letter_file = models.FileField(_("letter copy"), upload_to="selection/%Y/", blank=True)
    reason = models.TextField(_("reasons for the nomination"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SelectionStatus.choices, default="nominated"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated at"))
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    interview_score = models.DecimalField(
        _("interview score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    interview_notes = models.TextField(_("interview notes"), blank=True)
    interviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # The account the approved person serves under (made or linked on approval).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="selections",
    )

    class Meta:
        ordering = ["-nominated_at", "-id"]
        verbose_name = _("window staff selection")
        verbose_name_plural = _("window staff selections")
        indexes = [
            models.Index(fields=["center", "status", "nominated_at"], name="selection_center_idx"),
            models.Index(fields=["department", "status"], name="selection_dept_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["nominated", "interviewed", "approved", "refused", "withdrawn"]
                ),
                name="selection_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(post_kind__in=["ordinary", "special", "head"]),
                name="selection_post_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.get_status_display()})"


class ReadinessStep(models.TextChoices):
    """What is recorded before a selected person may serve (资格审查, 岗前培训)."""

    QUALIFICATION = "qualification", _("Qualification check")
    POLICY = "policy", _("Pre-service training: policy")
    BUSINESS = "business", _("Pre-service training: business")
    ETIQUETTE = "etiquette", _("Pre-service training: etiquette")


class ReadinessRecord(models.Model):
    """One readiness step done for a selected person; all four before the first post."""

    selection = models.ForeignKey(
        StaffSelection, on_delete=models.PROTECT, related_name="readiness"
    )
    step = models.CharField(_("step"), max_length=16, choices=ReadinessStep.choices)
    done_on = models.DateField(_("done on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["selection", "step"]
        verbose_name = _("readiness record")
        verbose_name_plural = _("readiness records")
        constraints = [
            models.UniqueConstraint(fields=["selection", "step"], name="readiness_once_per_step"),
            models.CheckConstraint(
                condition=Q(step__in=["qualification", "policy", "business", "etiquette"]),
                name="readiness_step_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.selection}: {self.get_step_display()}"


class TrialOutcome(models.TextChoices):
    KEPT = "kept", _("Kept at the window")
    RETURNED = "returned", _("Returned to the department")


class TrialDecision(TimeStampedModel):
    """The end of the one-month trial (试用期) of an assignment: kept or returned."""

    assignment = models.OneToOneField(
        "staffing.Assignment", on_delete=models.PROTECT, related_name="trial_decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=TrialOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("trial decision")
        verbose_name_plural = _("trial decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["kept", "returned"]), name="trial_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.get_outcome_display()}"
