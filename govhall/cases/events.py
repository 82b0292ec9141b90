"""Every event name cases writes (SPEC §6), "case.<verb>" in the imperative, with what a timeline
shows for it. Registered in `CasesConfig.ready()`.

The state machine's actions write "case.<action>" (`govhall.cases.case_transitions.Action`); the
rest are written by intake, notices, joint review, fees and the personal-data log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseEvent(models.TextChoices):
    # intake
    SUBMIT = "case.submit", _("Submitted online")
    # Issue 19 item 5: one application for a 一件事 bundle made its linked cases.
    BUNDLE_RECEIVE = "case_bundle.receive", _("One-thing application received")
    RECEIVE = "case.receive", _("Receive at the window")
    # the state machine: one per action of the transition table
    PREREVIEW_PASS = "case.prereview_pass", _("Pass pre-review")
    PREREVIEW_RETURN = "case.prereview_return", _("Return at pre-review")
    REQUEST_SUPPLEMENT = "case.request_supplement", _("Request supplement (one-time notice)")
    RECEIVE_SUPPLEMENT = "case.receive_supplement", _("Supplement received")
    RECEIVE_PENDING = "case.receive_pending", _("Pending materials received")
    ACCEPT = "case.accept", _("Accept")
    RETURN = "case.return", _("Return (not accepted)")
    FORWARD = "case.forward", _("Forward to the back office")
    REVIEW = "case.review", _("Review")
    APPROVE = "case.approve", _("Approve")
    DENY = "case.deny", _("Deny")
    START_JOINT = "case.start_joint", _("Start joint review")
    SUSPEND = "case.suspend", _("Suspend")
    RESUME = "case.resume", _("Resume")
    EXTEND = "case.extend", _("Extend")
    TRANSFER = "case.transfer", _("Transfer to another window")
    ESCALATE = "case.escalate", _("Forward to the higher level")
    RECEIVE_RESULT = "case.receive_result", _("Receive the higher level's result")
    MAKE_CERTIFICATE = "case.make_certificate", _("Make the certificate")
    DELIVER = "case.deliver", _("Deliver")
    WITHDRAW = "case.withdraw", _("Withdraw")
    VOID = "case.void", _("Void")
    ARCHIVE = "case.archive", _("Archive")
    PASS_BY_DEFAULT = "case.pass_by_default", _("Passed by timeout default (overdue step)")
    SUBMIT_SUPPLEMENT = "case.submit_supplement", _("Supplement submitted online")
    # 同步预审 of an online case, one task per department (issue 19 item 2)
    PASS_PREREVIEW_TASK = "case.pass_prereview_task", _("Department passed its pre-review")
    RETURN_PREREVIEW_TASK = "case.return_prereview_task", _("Department returned at pre-review")
    END_PREREVIEW_TASKS = "case.end_prereview_tasks", _("Open pre-review tasks ended")
    # notices, joint review, fees, personal data
    ISSUE_NOTICE = "case.issue_notice", _("Notice issued")
    OVERRIDE_NOTICE = "case.override_notice", _("Second one-time notice (override)")
    CONFIRM_NOTICE = "case.confirm_notice", _("Applicant confirmed a notice")
    COMPLETE_JOINT_TASK = "case.complete_joint_task", _("Joint review task done")
    SUBMIT_JOINT_PROPOSAL = (
        "case.submit_joint_proposal",
        _("Joint-handling proposal to the director"),
    )
    RECORD_JOINT_MEETING = "case.record_joint_meeting", _("Joint review meeting")
    RECORD_FEE = "case.record_fee", _("Fee recorded")
    VIEW_PERSONAL_DATA = "case.view_personal_data", _("Personal data viewed")
    EXPORT_LIST = "case.export_list", _("Case list exported")


class AgencyEvent(models.TextChoices):
    """代办 (issue 19 item 6): who carries a case for its applicant."""

    ASSIGN = "agency.assign", _("Agent named")
    CHANGE = "agency.change", _("Agency changed")
    END = "agency.end", _("Agency ended")
    LETTER = "agency.letter", _("Authorization letter copy stored")


class LibraryEvent(models.TextChoices):
    """The applicant's material library (issue 19 item 4)."""

    KEEP = "library.keep", _("Materials kept in the applicant's library")


class LicenceEvent(models.TextChoices):
    """Electronic licences (电子证照, issue 19 item 4)."""

    ISSUE = "licence.issue", _("Electronic licence issued")
    REVOKE = "licence.revoke", _("Electronic licence revoked")


def action_event(action: str) -> str:
    """The event name of a state-machine action ("accept" → "case.accept")."""
    return CaseEvent(f"case.{action}")
