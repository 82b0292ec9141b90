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


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pickup at the window")
    EXPRESS = "express", _("Express mail")


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
