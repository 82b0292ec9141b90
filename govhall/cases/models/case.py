"""The case (办件) itself, from receipt to archive (SPEC §6).

Which action is allowed from which status, for whom, is data in `govhall.cases.case_transitions`;
the services in `govhall.cases.services` are the only code that changes these rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES, OPEN_STATUSES
from govhall.cases.models.applicants import Applicant
from govhall.cases.statuses import (
    CaseKind,
    CaseStatus,
    Channel,
    DeliveryMethod,
    SuspensionReason,
)
from govhall.catalog.models import Authorization, ServiceItem
from govhall.org.models import Center, Department, Window


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def running(self) -> CaseQuerySet:
        """Cases whose clock runs (accepted, not decided, not suspended)."""
        return self.filter(status__in=CLOCK_RUNNING_STATUSES)

    def for_center(self, center: Center) -> CaseQuerySet:
        return self.filter(center=center)

    def in_centers(self, centers: models.QuerySet[Center]) -> CaseQuerySet:
        return self.filter(center__in=centers)

    def for_department(self, department: Department) -> CaseQuerySet:
        return self.filter(department=department)


class Case(models.Model):
    """One application (办件), from receipt to archive."""

    number = models.CharField(_("case number"), max_length=48, unique=True)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="cases"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="cases"
    )
    # The lead department: the one holding the final approval step (seeds/003… 苏州).
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WINDOW
    )
    # Snapshot of the window's authorization for the item when the case was received.
    authorization = models.CharField(
        _("authorization"), max_length=16, choices=Authorization.choices
    )
    # First responder: the window and person who received it; transfers never change these.
    received_window = models.ForeignKey(
        Window,
        verbose_name=_("receiving window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    green_channel = models.BooleanField(_("green channel"), default=False)
    pending_due_on = models.DateField(_("pending materials due"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, null=True, blank=True)
    # The 一件事 application this case is one of (issue 19 item 5).
    bundle = models.ForeignKey(
        "cases.CaseBundle",
        verbose_name=_("one-thing application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 代办 (issue 19 item 6): the staff member (role 代办员) who carries the case for the
    # applicant on the applicant's authorization letter (number, date, scope); 全程代办 when
    # they carry it from application to delivery. Set only by govhall.cases.services.agency.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_cases",
    )
    agency_full = models.BooleanField(_("full agency"), default=False)
    agency_letter_number = models.CharField(
        _("authorization letter number"), max_length=64, blank=True
    )
    agency_letter_on = models.DateField(_("authorization letter date"), null=True, blank=True)
    agency_scope = models.CharField(_("agency scope"), max_length=200, blank=True)
    # A scanned copy of the signed letter (PDF, JPEG or PNG, checked by core.files), served only
    # to those who may see the case.
    agency_letter = models.FileField(
        _("authorization letter copy"), upload_to="cases/agency/%Y/%m/", blank=True
    )

    # --- the clock (SPEC §4) ---
    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    clock_started_on = models.DateField(_("clock starts after"), null=True, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.CharField(_("extension reason"), max_length=300, blank=True)
    suspended_days = models.PositiveSmallIntegerField(_("working days suspended"), default=0)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_from = models.CharField(
        _("status before suspension"), max_length=24, choices=CaseStatus.choices, blank=True
    )
    # The legal category (SuspensionReason; issue 16 item 8) and an optional free-text note.
    suspension_reason = models.CharField(
        _("suspension reason"), max_length=300, choices=SuspensionReason.choices, blank=True
    )
    suspension_note = models.CharField(_("suspension note"), max_length=300, blank=True)
    legal_due_on = models.DateField(_("legal deadline"), null=True, blank=True)
    promised_due_on = models.DateField(_("promised deadline"), null=True, blank=True)

    # --- decision and delivery ---
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)  # return, denial, void, withdrawal
    basis = models.TextField(_("legal basis of the decision"), blank=True)
    escalated_to = models.ForeignKey(
        Center,
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_cases",
    )
    forward_by = models.DateField(_("promised forwarding date"), null=True, blank=True)
    escalation_result = models.TextField(_("result from the higher level"), blank=True)
    delivery_method = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    # The address the applicant gave for express delivery (online choice, issue 19 item 2).
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    recipient_name = models.CharField(_("received by (applicant side)"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    supplement_notices = models.PositiveSmallIntegerField(_("one-time notices issued"), default=0)
    # When the case entered its current status (every status change sets it): each step has
    # its own limit (govhall.cases.steps, issue 14 item 2).
    step_started_at = models.DateTimeField(_("current step since"), default=timezone.now)
    # Set when a review or approval step over its limit passed by timeout default (超时默认).
    timeout_default_at = models.DateTimeField(
        _("passed by timeout default at"), null=True, blank=True
    )
    # Bumped by every action; a page posts the version it showed, so a stale click is refused.
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(
                fields=["center", "status", "promised_due_on"], name="case_center_due_idx"
            ),
            models.Index(
                fields=["department", "status", "promised_due_on"], name="case_dept_due_idx"
            ),
            models.Index(fields=["window", "status"], name="case_window_status_idx"),
            models.Index(fields=["escalated_to", "status"], name="case_escalated_idx"),
            models.Index(fields=["center", "received_at"], name="case_center_received_idx"),
            models.Index(fields=["applicant", "received_at"], name="case_applicant_idx"),
            models.Index(fields=["status", "step_started_at"], name="case_step_idx"),
            models.Index(
                fields=["agent", "status"],
                name="case_agent_status_idx",
                condition=Q(agent__isnull=False),
            ),
            models.Index(
                fields=["center", "timeout_default_at"],
                name="case_timeout_default_idx",
                condition=Q(timeout_default_at__isnull=False),
            ),
            # The running cases with what the deadline scan compares (supervision): its
            # anti-joins read this index only.
            models.Index(
                fields=[
                    "promised_due_on",
                    "kind",
                    "promised_days",
                    "extension_days",
                    "center",
                    "id",
                ],
                name="case_running_due_idx",
                condition=Q(
                    status__in=sorted(CLOCK_RUNNING_STATUSES), promised_due_on__isnull=False
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CaseStatus]), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["", *[k.value for k in CaseKind]]), name="case_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in Channel]), name="case_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(authorization__in=["full", "partial", "limited"]),
                name="case_authorization_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery_method__in=["", "pickup", "express"]),
                name="case_delivery_valid",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="case_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number
