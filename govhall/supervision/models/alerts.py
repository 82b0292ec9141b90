"""Alerts (监察预警/黄牌/红牌) raised by the scans, and the state of each scan."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.org.models import Center, Department, Window
from govhall.supervision.models.rules import AlertLevel, AlertRule


class WithdrawalReason(models.TextChoices):
    FINISHED = "finished", _("The case was decided or closed")
    SUSPENDED = "suspended", _("The case was suspended")
    DEADLINE_MOVED = "deadline_moved", _("The deadline moved (calendar change or extension)")
    RULE_OFF = "rule_off", _("The rule was switched off")
    NO_LONGER_HOLDS = "no_longer_holds", _("The condition no longer holds")
    CORRECTED = "corrected", _("The record it rested on was corrected")


class AlertStatus(models.TextChoices):
    """The inbox life of an alert (`govhall.supervision.alert_transitions`)."""

    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXPLAINED = "explained", _("Explanation given")
    ACCEPTED = "accepted", _("Explanation accepted (points restored)")
    UPHELD = "upheld", _("Upheld")


class AlertQuerySet(models.QuerySet["Alert"]):
    def live(self) -> AlertQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def in_centers(self, centers: models.QuerySet[Center]) -> AlertQuerySet:
        return self.filter(center__in=centers)

    def counting(self) -> AlertQuerySet:
        """Alerts whose points count on a score: live, and not excused by an accepted
        explanation."""
        return self.live().exclude(status=AlertStatus.ACCEPTED)


class Alert(models.Model):
    """One alert on one subject by one rule; live until withdrawn (never deleted).

    `subject_key` names what the rule watched, so that a rule never alerts twice on it:
    "case:<id>" (deadline, reason, notice, override, material), "case:<id>:<status>:<epoch>"
    (a step, by the moment the case entered it), "fee:<id>", "vacancy:<id>",
    "attendance:<id>:<late|early|absent>", "absence:<id>", "inquiry:<id>", "off_hours:<id>",
    "round:<center>:<day>:<session>", "finding:<id>:<person>".
    """

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="alerts"
    )
    level = models.CharField(_("level"), max_length=16, choices=AlertLevel.choices)
    subject_key = models.CharField(_("subject"), max_length=64)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # alert_case_idx leads with it
    )
    center = models.ForeignKey(
        Center,
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # alert_board_idx leads with it
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # alert_dept_idx leads with it
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # alert_window_idx leads with it
    )
    # Who answers for it: whoever served the post when it happened (A/B cover honoured).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # alert_inbox_idx leads with it
    )
    # The day it belongs to: what the monthly score sheet counts it in.
    occurred_on = models.DateField(_("day"))
    due_on = models.DateField(_("deadline watched"), null=True, blank=True)
    # What happened, in words, written when raised (the timeline and the inbox show it).
    detail = models.CharField(_("what happened"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("why withdrawn"), max_length=16, choices=WithdrawalReason.choices, blank=True
    )
    points = models.DecimalField(
        _("points deducted"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    is_violation = models.BooleanField(_("violation"), default=False)

    # --- the inbox: acknowledge, explain (情况说明), decide ---
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("explained by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # only read from the alert; a user is never deleted in bulk
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # only read from the alert; a user is never deleted in bulk
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    # Bumped by every inbox action; a page posts the version it showed.
    version = models.PositiveIntegerField(default=1)

    # The scan that inserted the row: how a scan finds the alerts it (and not a concurrent scan)
    # raised, to tell their people.
    batch = models.CharField(max_length=32, editable=False)  # indexed in Meta: no LIKE index

    objects: ClassVar[AlertQuerySet] = AlertQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("supervision alert")
        verbose_name_plural = _("supervision alerts")
        indexes = [
            models.Index(fields=["center", "level", "withdrawn_at"], name="alert_board_idx"),
            models.Index(fields=["responsible", "withdrawn_at"], name="alert_inbox_idx"),
            models.Index(fields=["case", "withdrawn_at"], name="alert_case_idx"),
            models.Index(fields=["responsible", "occurred_on"], name="alert_person_day_idx"),
            models.Index(fields=["department", "withdrawn_at"], name="alert_dept_idx"),
            models.Index(fields=["window", "withdrawn_at"], name="alert_window_idx"),
            models.Index(fields=["batch"], name="alert_batch_idx"),
            # The scans' anti-joins ("running cases without a live alert of the rule"): small
            # (live alerts only) and good for index-only scans.
            models.Index(
                fields=["rule", "case"],
                name="alert_live_case_idx",
                condition=Q(withdrawn_at__isnull=True),
            ),
        ]
        constraints = [
            # At most one live alert per rule and subject, whatever runs at once.
            models.UniqueConstraint(
                fields=["rule", "subject_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="alert_live_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["reminder", "yellow", "red", "serious"]),
                name="alert_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "acknowledged", "explained", "accepted", "upheld"]),
                name="alert_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} #{self.pk}"

    @property
    def counts(self) -> bool:
        """Do its points count on a score?"""
        return self.withdrawn_at is None and self.status != AlertStatus.ACCEPTED


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
