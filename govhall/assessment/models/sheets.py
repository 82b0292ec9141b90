"""Monthly score sheets (考核): one per staff member and month, starting at 100 points.

A sheet is filled by `services/fill.py` from the supervision alerts that count (the person
responsible: B when B covered), and by hand by management (deductions, bonuses); once published
it is frozen and any change is a new correction entry (`after_publication`). Its `score` is kept
as 100 + the sum of its entries by every service that changes an entry.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.assessment.grading import START_SCORE, Grade, grade_of
from govhall.org.models import Center, Department, Window
from govhall.supervision.models import Alert


class SheetStatus(models.TextChoices):
    """The life of a sheet (`govhall.assessment.sheet_transitions`)."""

    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


class EntryKind(models.TextChoices):
    ALERT = "alert", _("Supervision alert")
    MANUAL_DEDUCTION = "manual_deduction", _("Deduction")
    MANUAL_BONUS = "manual_bonus", _("Bonus")
    CORRECTION = "correction", _("Correction")


class ScoreSheet(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The window the person holds a post at (A first, else B) when the sheet was opened: what
    # the window's score averages (两个挂钩).
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=START_SCORE)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Bumped by every change; a page posts the version it showed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "center", "person__username"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="score_sheet_person_month"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "reviewed", "published"]),
                name="score_sheet_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "month"], name="score_sheet_center_month"),
            models.Index(fields=["window", "month"], name="score_sheet_window_month"),
            models.Index(fields=["department", "month"], name="score_sheet_dept_month"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}"

    @property
    def grade(self) -> Grade:
        return grade_of(self.score)

    @property
    def is_frozen(self) -> bool:
        return self.status == SheetStatus.PUBLISHED


class ScoreEntry(models.Model):
    """One signed change of a sheet's score, with its cause: an alert, or a reason and evidence
    written by management."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    occurred_on = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=300)
    evidence = models.TextField(_("evidence"), blank=True)
    alert = models.ForeignKey(
        Alert,
        verbose_name=_("alert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A correction may name the entry it corrects.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    after_publication = models.BooleanField(_("after publication"), default=False)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "alert"],
                condition=Q(alert__isnull=False),
                name="score_entry_alert_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["alert", "manual_deduction", "manual_bonus", "correction"]),
                name="score_entry_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="alert", alert__isnull=False)
                | (~Q(kind="alert") & Q(alert__isnull=True)),
                name="score_entry_alert_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=Decimal("-100")) & Q(points__lte=Decimal("100")),
                name="score_entry_points_range",
            ),
        ]
        indexes = [models.Index(fields=["occurred_on"], name="score_entry_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"
