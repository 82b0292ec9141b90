"""Complaints (投诉; seeds/000… 篇5 投诉, SPEC §9; issue 15 item 2).

The complainant is confidential: only complaint handlers and management see who complained
(`access/complaints.py`). The target is a staff member, a window, a department or the center.
Handling follows `complaint_transitions.py`: on the spot, or an answer the same or next working
day (simple) or within 5 working days (complex), a 交办单 to a department for forwarded matters,
a reason for any delay, the result told to the complainant, and a finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintChannel(models.TextChoices):
    VISIT = "visit", _("In person")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    LETTER = "letter", pgettext_lazy("channel", "Letter")
    WEB = "web", _("Web form on the portal")
    SUGGESTION_BOX = "box", _("Suggestion box")
    HOTLINE = "hotline", _("12345 hotline")
    DEPARTMENT = "department", _("Forwarded by a department")


class ComplaintTarget(models.TextChoices):
    STAFF = "staff", _("A staff member")
    WINDOW = "window", _("A window")
    DEPARTMENT = "department", _("A department")
    CENTER = "center", _("The center")


class ComplaintComplexity(models.TextChoices):
    SIMPLE = "simple", _("Simple: answered the same or next working day")
    COMPLEX = "complex", _("Complex: answered within 5 working days")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned to a department (交办)")
    ANSWERED = "answered", _("Answered, finding recorded")
    CLOSED = "closed", _("Result told to the complainant")


class ComplaintFinding(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    PARTLY_VERIFIED = "partly", _("Partly verified")
    UNFOUNDED = "unfounded", _("Unfounded")


# Findings that count against the target (assessment deduction, return-to-department rule).
FINDINGS_AGAINST = (ComplaintFinding.VERIFIED, ComplaintFinding.PARTLY_VERIFIED)


class ToldVia(models.TextChoices):
    SMS = "sms", _("SMS")
    LETTER = "letter", pgettext_lazy("channel", "Letter")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    IN_PERSON = "in_person", _("In person")


class Complaint(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ComplaintChannel.choices)
    # --- the complainant: confidential (handlers and management only) ---------------------
    complainant_name = models.CharField(_("complainant"), max_length=60, blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    complainant_address = models.CharField(_("address"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # --- whom and what --------------------------------------------------------------------
    target_kind = models.CharField(_("about"), max_length=12, choices=ComplaintTarget.choices)
    target_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    target_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rating = models.ForeignKey(
        "feedback.Rating",
        verbose_name=_("rating"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), max_length=5000, blank=True)
    # --- handling --------------------------------------------------------------------------
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complexity = models.CharField(
        _("complexity"),
        max_length=8,
        choices=ComplaintComplexity.choices,
        default=ComplaintComplexity.SIMPLE,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.REGISTERED,
    )
    handled_on_the_spot = models.BooleanField(_("handled on the spot"), default=False)
    due_at = models.DateTimeField(_("answer due"))
    delay_reason = models.CharField(_("reason for the delay"), max_length=1000, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 交办单: forwarded to a department with its own due time and the department's reply.
    assigned_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assignment_due_at = models.DateTimeField(_("department reply due"), null=True, blank=True)
    department_reply = models.TextField(_("department's reply"), max_length=5000, blank=True)
    department_replied_at = models.DateTimeField(null=True, blank=True)
    finding = models.CharField(
        _("finding"), max_length=12, choices=ComplaintFinding.choices, blank=True
    )
    result = models.TextField(_("result"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    told_via = models.CharField(_("told by"), max_length=12, choices=ToldVia.choices, blank=True)
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The 12345 work order it came from, when it did.
    work_order = models.ForeignKey(
        "feedback.WorkOrder",
        verbose_name=_("12345 work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    # A web complaint's random token: the complainant follows it without an account.
    public_token = models.CharField(max_length=24, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["center", "received_at"], name="complaint_period_idx"),
            models.Index(fields=["status", "due_at"], name="complaint_due_idx"),
            models.Index(fields=["target_staff", "finding"], name="complaint_staff_idx"),
            models.Index(fields=["assigned_department", "status"], name="complaint_dept_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["public_token"],
                condition=~Q(public_token=""),
                name="complaint_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number
