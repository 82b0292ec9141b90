"""Supervision rules as data (SPEC §9): condition → level, who is told, points deducted.

The condition is the rule's `subject` (what it watches) with its thresholds; managers change
thresholds and points within the bounds of `services/rules.py`, never the code.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AlertLevel(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")
    SERIOUS = "serious", _("Serious")


class AlertSubject(models.TextChoices):
    # The promised deadline of a case whose clock runs (SPEC §4, §9).
    CASE_DEADLINE = "case_deadline", _("Promised deadline of a case")


class AlertRule(models.Model):
    """One rule: when it fires (subject, level, thresholds), what it costs, who is told."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    subject = models.CharField(_("watches"), max_length=32, choices=AlertSubject.choices)
    level = models.CharField(_("level"), max_length=16, choices=AlertLevel.choices)
    # Reminder: working days left before the deadline at which it fires.
    threshold_days = models.PositiveSmallIntegerField(
        _("working days before the deadline"), null=True, blank=True
    )
    # Yellow card: share of the promised working days used, in percent.
    threshold_percent = models.PositiveSmallIntegerField(
        _("percent of the promised time used"), null=True, blank=True
    )
    points = models.DecimalField(
        _("points deducted"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    counts_as_violation = models.BooleanField(_("counts as a violation"), default=False)
    notify_responsible = models.BooleanField(_("tell the person responsible now"), default=True)
    notify_window_head = models.BooleanField(_("tell the window head"), default=False)
    notify_department_leader = models.BooleanField(_("tell the department leader"), default=False)
    notify_director = models.BooleanField(_("tell the hall director"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["subject", "id"]
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["reminder", "yellow", "red", "serious"]),
                name="alert_rule_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=20), name="alert_rule_points_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.get_level_display()}"
