"""Cases (办件) from receipt to archive (SPEC §6), with their applicants, materials, notices,
joint review tasks and fees.

Which action is allowed from which status, for whom, is data in `govhall.cases.transitions`;
the services in `govhall.cases.services` are the only code that changes these rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import Authorization, FeeItem, Material, ServiceItem
from govhall.org.models import Center, Department, Window


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class Applicant(models.Model):
    """A citizen (ID number, GB 11643) or an enterprise (统一社会信用代码, GB 32100).

    One row per identity number; intake updates the name and contact details it was given.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ApplicantKind.choices)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number / unified social credit code"), max_length=18)
    phone = models.CharField(_("mobile phone"), max_length=20)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="applicant_id_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "enterprise"]), name="applicant_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="applicant_phone_idx")]

    def __str__(self) -> str:
        return self.name


class CaseKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")  # 即办件
    PROMISED = "promised", _("Promised")  # 承诺件
    JOINT = "joint", _("Joint")  # 联办件
    ESCALATED = "escalated", _("Escalated")  # 上报件


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, awaiting pre-review")
    RECEIVED = "received", _("Received")
    PREREVIEW_RETURNED = "prereview_returned", _("Returned at pre-review")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (returned)")
    ACCEPTED = "accepted", _("Accepted")
    IN_REVIEW = "in_review", _("In back-office review")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    JOINT_REVIEW = "joint_review", _("In joint review")
    ESCALATED = "escalated", _("Forwarded to the higher level")
    SUSPENDED = "suspended", _("Suspended")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")
    DELIVERED = "delivered", _("Delivered")
    ESCALATION_CLOSED = "escalation_closed", _("Closed by the higher level")
    VOIDED = "voided", _("Voided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    WINDOW = "window", _("At a window")
    ONLINE = "online", _("Online")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pickup at the window")
    EXPRESS = "express", _("Express mail")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        # Imported here: transitions reads CaseStatus from this module (models ↔ transitions).
        from govhall.cases.transitions import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def running(self) -> CaseQuerySet:
        """Cases whose clock runs (accepted, not decided, not suspended)."""
        # Imported here: transitions reads CaseStatus from this module (models ↔ transitions).
        from govhall.cases.transitions import CLOCK_RUNNING_STATUSES

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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
    suspension_reason = models.CharField(_("suspension reason"), max_length=300, blank=True)
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
    recipient_name = models.CharField(_("received by (applicant side)"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    supplement_notices = models.PositiveSmallIntegerField(_("one-time notices issued"), default=0)
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CaseStatus]), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["", *[k.value for k in CaseKind]]), name="case_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["window", "online"]), name="case_channel_valid"
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


class CaseMaterial(models.Model):
    """A material of the case: the item's list as checked at intake, and anything pending."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    is_main = models.BooleanField(_("main material"), default=True)
    received = models.BooleanField(_("received"), default=False)
    form = models.CharField(
        _("form"), max_length=16, choices=Material.Form.choices, default=Material.Form.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # Green channel (容缺受理): accepted with this material pending until `due_on`.
    pending = models.BooleanField(_("pending (green channel)"), default=False)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["original", "copy", "both"]),
                name="case_material_form_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")  # 受理通知书
    ONE_TIME = "one_time", _("One-time notice of missing materials")  # 一次性告知书 / 补正通知书
    NOT_ACCEPTED = "not_accepted", _("Notice of return (not accepted)")  # 退回件通知书
    PREREVIEW_RETURN = "prereview_return", _("Notice of return at pre-review")
    JOINT = "joint", _("Joint case notice")  # 联办件通知书
    ESCALATED = "escalated", _("Notice of forwarding to the higher level")
    EXTENSION = "extension", _("Extension notice")  # 延期告知书
    DECISION = "decision", _("Decision document")  # 决定书


class Notice(models.Model):
    """A printed document given to the applicant, with a QR code to the progress page.

    `content` keeps what the notice said when it was issued (materials, dates, reason, basis),
    so a later change to the case or the catalog never rewrites a paper already handed out.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("content"), default=dict)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("applicant confirmed at"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("confirmed by (applicant)"), max_length=100, blank=True)
    confirmation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmation recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "issued_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["case", "kind"], name="notice_case_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NoticeKind]), name="notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class JointTask(models.Model):
    """One participating department's review of a joint case, with its own deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_tasks")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    due_on = models.DateField(_("deadline"))
    opinion = models.TextField(_("opinion"), blank=True)
    agrees = models.BooleanField(_("agrees"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("joint review task")
        verbose_name_plural = _("joint review tasks")
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="joint_task_dept_idx"),
            models.Index(fields=["status", "due_on"], name="joint_task_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="joint_task_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done"]), name="joint_task_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.department}"


class JointMeeting(models.Model):
    """A joint review meeting called by the hall director (seeds/000… 篇5 联办件)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_meetings")
    held_at = models.DateTimeField(_("held at"))
    participants = models.TextField(_("participants"))
    conclusions = models.TextField(_("conclusions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "held_at", "id"]
        verbose_name = _("joint review meeting")
        verbose_name_plural = _("joint review meetings")

    def __str__(self) -> str:
        return f"{self.case} · {self.held_at:%Y-%m-%d}"


class CaseFee(models.Model):
    """A fee charged on a case, never above the approved standard (seeds/001…)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fees")
    fee_item = models.ForeignKey(
        FeeItem, verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("case fee")
        verbose_name_plural = _("case fees")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="case_fee_nonneg"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="case_fee_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ¥{self.amount}"


class CaseNumberCounter(models.Model):
    """The last serial handed out per prefix and day; bumped under a row lock, never reused."""

    prefix = models.CharField(max_length=32)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["prefix", "day"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}:{self.last}"


class ProgressLookup(models.Model):
    """One public progress inquiry, kept to slow down guessing (rate limit by address and case)."""

    at = models.DateTimeField(auto_now_add=True)
    client = models.CharField(max_length=64)
    case_number = models.CharField(max_length=48)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["client", "at"], name="progress_client_idx"),
            models.Index(fields=["case_number", "at"], name="progress_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.case_number}"
