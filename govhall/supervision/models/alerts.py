"""Alerts (监察预警/黄牌/红牌) raised by the scans, and the state of each scan."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.org.models import Center
from govhall.supervision.models.rules import AlertLevel, AlertRule


class WithdrawalReason(models.TextChoices):
    FINISHED = "finished", _("The case was decided or closed")
    SUSPENDED = "suspended", _("The case was suspended")
    DEADLINE_MOVED = "deadline_moved", _("The deadline moved (calendar change or extension)")
    RULE_OFF = "rule_off", _("The rule was switched off")


class AlertQuerySet(models.QuerySet["Alert"]):
    def live(self) -> AlertQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def in_centers(self, centers: models.QuerySet[Center]) -> AlertQuerySet:
        return self.filter(center__in=centers)


class Alert(models.Model):
    """One alert on one subject by one rule; live until withdrawn (never deleted)."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="alerts"
    )
    level = models.CharField(_("level"), max_length=16, choices=AlertLevel.choices)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("deadline watched"), null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("why withdrawn"), max_length=16, choices=WithdrawalReason.choices, blank=True
    )
    points = models.DecimalField(
        _("points deducted"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    is_violation = models.BooleanField(_("violation"), default=False)
    # The scan that inserted the row: how a scan finds the alerts it (and not a concurrent scan)
    # raised, to tell their people.
    batch = models.CharField(max_length=32, db_index=True, editable=False)

    objects: ClassVar[AlertQuerySet] = AlertQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("supervision alert")
        verbose_name_plural = _("supervision alerts")
        indexes = [
            models.Index(fields=["center", "level", "withdrawn_at"], name="alert_board_idx"),
            models.Index(fields=["responsible", "withdrawn_at"], name="alert_inbox_idx"),
            models.Index(fields=["case", "withdrawn_at"], name="alert_case_idx"),
        ]
        constraints = [
            # At most one live alert per rule, level and case, whatever runs at once.
            models.UniqueConstraint(
                fields=["rule", "level", "case"],
                condition=Q(withdrawn_at__isnull=True),
                name="alert_live_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["reminder", "yellow", "red", "serious"]),
                name="alert_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} #{self.pk}"


class ScanState(models.Model):
    """When a scan last ran, so the next one looks only at what changed since."""

    name = models.CharField(max_length=32, primary_key=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    calendar_revision = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scan state")
        verbose_name_plural = _("scan states")

    def __str__(self) -> str:
        return self.name
