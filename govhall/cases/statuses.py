"""The vocabulary of cases: statuses, kinds, channels and methods, as choices.

Its own module so that the models, the transition table (`govhall.cases.case_transitions`) and the
services all read it without the models and the table importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class CaseKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")  # 即办件
    PROMISED = "promised", _("Promised")  # 承诺件
    JOINT = "joint", _("Joint")  # 联办件
    ESCALATED = "escalated", _("Escalated")  # 上报件


class Channel(models.TextChoices):
    WINDOW = "window", _("At a window")
    ONLINE = "online", _("Online")
    # Received at a window from a 12345 hotline order or assigned by a higher level (上级交办):
    # counted apart in the statistics (issue 18 item 1).
    HOTLINE = "hotline", _("From the 12345 hotline")
    ASSIGNED = "assigned", _("Assigned by a higher level")


# Where a case received at a window may come from (online cases come only from online submission).
WINDOW_CHANNELS = (Channel.WINDOW, Channel.HOTLINE, Channel.ASSIGNED)
# The on-time rule (`govhall.stats.figures`, figure "completed"): a case decided and then voided
# or withdrawn is not a completed case; it counts in no completed, on-time or overdue figure.
NOT_COMPLETED = frozenset({CaseStatus.VOIDED, CaseStatus.WITHDRAWN})


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pickup at the window")
    EXPRESS = "express", _("Express mail")


class PrereviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")  # 受理通知书
    ONE_TIME = "one_time", _("One-time notice of missing materials")  # 一次性告知书 / 补正通知书
    NOT_ACCEPTED = "not_accepted", _("Notice of return (not accepted)")  # 退回件通知书
    PREREVIEW_RETURN = "prereview_return", _("Notice of return at pre-review")
    JOINT = "joint", _("Joint case notice")  # 联办件通知书
    ESCALATED = "escalated", _("Notice of forwarding to the higher level")
    EXTENSION = "extension", _("Extension notice")  # 延期告知书
    DECISION = "decision", _("Decision document")  # 决定书


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class SuspensionReason(models.TextChoices):
    """The legal grounds for stopping the clock (行政许可法 §45, SPEC §4; issue 16 item 8)."""

    HEARING = "hearing", _("Hearing")  # 听证
    EXPERT_REVIEW = "expert_review", _("Expert review")  # 专家评审
    INSPECTION = "inspection", _("On-site inspection")  # 现场核查
    TESTING = "testing", _("Testing")  # 检验检测
    QUARANTINE = "quarantine", _("Quarantine")  # 检疫
    PUBLIC_NOTICE = "public_notice", _("Public notice")  # 公示公告


# Chinese names a clerk or a caller may give for a category (the API and older forms sent text).
SUSPENSION_REASON_ALIASES: dict[str, str] = {
    "听证": SuspensionReason.HEARING,
    "专家评审": SuspensionReason.EXPERT_REVIEW,
    "专家论证": SuspensionReason.EXPERT_REVIEW,
    "现场核查": SuspensionReason.INSPECTION,
    "现场踏勘": SuspensionReason.INSPECTION,
    "核查": SuspensionReason.INSPECTION,
    "检验": SuspensionReason.TESTING,
    "检测": SuspensionReason.TESTING,
    "检验检测": SuspensionReason.TESTING,
    "检疫": SuspensionReason.QUARANTINE,
    "公示": SuspensionReason.PUBLIC_NOTICE,
    "公告": SuspensionReason.PUBLIC_NOTICE,
    "公示公告": SuspensionReason.PUBLIC_NOTICE,
}

# The words the applicant's SMS uses (Chinese on purpose, like the printed notices).
SUSPENSION_REASON_SMS: dict[str, str] = {
    SuspensionReason.HEARING: "听证",
    SuspensionReason.EXPERT_REVIEW: "专家评审",
    SuspensionReason.INSPECTION: "现场核查",
    SuspensionReason.TESTING: "检验检测",
    SuspensionReason.QUARANTINE: "检疫",
    SuspensionReason.PUBLIC_NOTICE: "公示公告",
}


def suspension_reason_of(value: str) -> str | None:
    """The category code for `value` (a code, its English label or a Chinese name), or None."""
    text = (value or "").strip()
    if text in SuspensionReason.values:
        return text
    if text in SUSPENSION_REASON_ALIASES:
        return SUSPENSION_REASON_ALIASES[text]
    for choice in SuspensionReason:
        if text.lower() == str(choice.label).lower():
            return choice.value
    return None
