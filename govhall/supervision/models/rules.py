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
    """What a rule watches. Each subject has one scan in `services/` that raises and withdraws
    its alerts; `subject_key` of an alert names the watched thing (see `Alert`)."""

    # The promised deadline of a case whose clock runs (SPEC §4, §9).
    CASE_DEADLINE = "case_deadline", _("Promised deadline of a case")
    # Each step of a case over its own limit (limits per item in the catalog, with defaults).
    CASE_STEP = "case_step", _("A step of a case over its time limit")
    # A second one-time notice on the same case (一次性告知 means once).
    CASE_SECOND_NOTICE = "case_second_notice", _("A second one-time notice")
    # The clerk chose another outcome than the proposed one, or management overrode a rule.
    CASE_OVERRIDE = "case_override", _("An outcome or rule overridden")
    # A return, denial or pre-review return recorded without a reason.
    CASE_NO_REASON = "case_no_reason", _("A return or denial without a reason")
    # A fee charged above its approved standard.
    CASE_FEE_ABOVE_STANDARD = "case_fee", _("A fee above the approved standard")
    # A case accepted while a main material is neither received nor pending.
    CASE_MAIN_MATERIAL = "case_main_material", _("Accepted without a main material")
    # A post with nobody serving it during service hours.
    POST_EMPTY = "post_empty", _("An empty post")
    # Attendance: late sign-in, early leave, absent without approval.
    LATE_SIGN_IN = "late_sign_in", _("Late sign-in")
    EARLY_LEAVE = "early_leave", _("Early leave")
    ABSENT = "absent", _("Absent without approval")
    # The first responder's follow-up of a transferred inquiry, and off-hours requests, overdue.
    INQUIRY_OVERDUE = "inquiry_overdue", _("A first-inquiry follow-up overdue")
    OFF_HOURS_OVERDUE = "off_hours_overdue", _("An off-hours request unanswered")
    # Patrols: a morning or afternoon round not done; a failed check found on a round.
    PATROL_MISSING = "patrol_missing", _("A patrol round not done")
    PATROL_FINDING = "patrol_finding", _("A patrol finding")
    # Citizens' voice (the feedback app raises these; SPEC §9, issue 15): a bad rating's
    # call-back or rectification overdue, a complaint found true, a complaint, petition, 12345
    # work order or suggestion-box entry not handled in time, a collective or major petition
    # (which alerts the leaders at once).
    RATING_FOLLOW_UP_OVERDUE = "rating_overdue", _("A bad rating not followed up in time")
    COMPLAINT_VERIFIED = "complaint_verified", _("A complaint found true")
    COMPLAINT_OVERDUE = "complaint_overdue", _("A complaint not answered in time")
    PETITION_OVERDUE = "petition_overdue", _("A petition not handled in time")
    PETITION_MAJOR = "petition_major", _("A collective or major petition")
    WORK_ORDER_OVERDUE = "work_order_overdue", _("A 12345 work order not handled in time")
    SUGGESTION_OVERDUE = "suggestion_overdue", _("A suggestion or message not replied to")


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
    # Minutes: of an empty post before it counts, of lateness or early leave tolerated.
    threshold_minutes = models.PositiveSmallIntegerField(
        _("minutes tolerated"), null=True, blank=True
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
