"""The case state machine as data (SPEC §6).

One row per (status, action): who may do it and where the case goes. The same table drives the
buttons on the case page, the API's action endpoint and the check inside `case_act`. A row may
name a guard (a condition on the case, e.g. the window's authorization level); guards are
predicates in `govhall.cases.services.guards`, keyed by name, so this module stays pure data.

`next_status` None means the status does not change (extend, transfer, archive, fees...).
`RESUME` is special: the case returns to the status it had before suspension.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.statuses import CaseStatus as S
from govhall.core.roles import BACK_OFFICE_ROLES, MANAGER_ROLES, WINDOW_ROLES, Role

# National exchange status codes (政务服务办件信息交换状态).
NATIONAL_CODE: dict[str, str] = {
    S.SUBMITTED: "02",  # 收件
    S.RECEIVED: "03",  # 预受理
    S.PREREVIEW_RETURNED: "04",  # 预受理退回
    S.ACCEPTED: "05",  # 受理
    S.AWAITING_SUPPLEMENT: "06",  # 补齐补正
    S.NOT_ACCEPTED: "07",  # 不予受理
    S.IN_REVIEW: "08",  # 在办
    S.AWAITING_APPROVAL: "08",
    S.JOINT_REVIEW: "08",
    S.ESCALATED: "08",
    S.SUSPENDED: "09",  # 挂起
    S.APPROVED: "10",  # 办结
    S.DENIED: "10",
    S.CERTIFICATE_READY: "10",
    S.DELIVERED: "10",
    S.ESCALATION_CLOSED: "11",  # 转报办结
    S.VOIDED: "12",  # 作废办结
    S.WITHDRAWN: "13",  # 退件
}

NATIONAL_LABEL: dict[str, str] = {
    "02": "收件",
    "03": "预受理",
    "04": "预受理退回",
    "05": "受理",
    "06": "补齐补正",
    "07": "不予受理",
    "08": "在办",
    "09": "挂起",
    "10": "办结",
    "11": "转报办结",
    "12": "作废办结",
    "13": "退件",
}

# Not finished: the case still needs someone's work (delivery included).
OPEN_STATUSES = frozenset(
    {
        S.SUBMITTED,
        S.RECEIVED,
        S.AWAITING_SUPPLEMENT,
        S.ACCEPTED,
        S.IN_REVIEW,
        S.AWAITING_APPROVAL,
        S.JOINT_REVIEW,
        S.ESCALATED,
        S.SUSPENDED,
        S.APPROVED,
        S.DENIED,
        S.CERTIFICATE_READY,
    }
)
# Accepted and not yet decided: the promised and legal deadlines apply.
UNDECIDED_STATUSES = frozenset(
    {S.ACCEPTED, S.IN_REVIEW, S.AWAITING_APPROVAL, S.JOINT_REVIEW, S.ESCALATED, S.SUSPENDED}
)
# Decided, with the certificate or the decision still to hand over.
AWAITING_DELIVERY = frozenset({S.APPROVED, S.DENIED, S.CERTIFICATE_READY})
# The clock runs (suspension stops it).
CLOCK_RUNNING_STATUSES = UNDECIDED_STATUSES - {S.SUSPENDED}
FINAL_STATUSES = frozenset(S) - OPEN_STATUSES
# Statuses from which a case may be suspended, withdrawn or extended.
SUSPENDABLE = frozenset({S.ACCEPTED, S.IN_REVIEW, S.AWAITING_APPROVAL, S.JOINT_REVIEW})
WITHDRAWABLE = frozenset(
    {
        S.SUBMITTED,
        S.RECEIVED,
        S.AWAITING_SUPPLEMENT,
        S.ACCEPTED,
        S.IN_REVIEW,
        S.AWAITING_APPROVAL,
        S.JOINT_REVIEW,
        S.ESCALATED,
        S.SUSPENDED,
    }
)


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit online")
    RECEIVE = "receive", _("Receive at the window")
    PREREVIEW_PASS = "prereview_pass", _("Pass pre-review")
    PREREVIEW_RETURN = "prereview_return", _("Return at pre-review")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request supplement (one-time notice)")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Supplement received")
    RECEIVE_PENDING = "receive_pending", _("Pending materials received")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return (not accepted)")
    FORWARD = "forward", _("Forward to the back office")
    REVIEW = "review", _("Review")
    APPROVE = "approve", _("Approve")
    DENY = "deny", _("Deny")
    START_JOINT = "start_joint", _("Start joint review")
    SUSPEND = "suspend", _("Suspend")
    RESUME = "resume", _("Resume")
    EXTEND = "extend", _("Extend")
    TRANSFER = "transfer", _("Transfer to another window")
    ESCALATE = "escalate", _("Forward to the higher level")
    RECEIVE_RESULT = "receive_result", _("Receive the higher level's result")
    MAKE_CERTIFICATE = "make_certificate", _("Make the certificate")
    DELIVER = "deliver", _("Deliver")
    WITHDRAW = "withdraw", _("Withdraw")
    VOID = "void", _("Void")
    ARCHIVE = "archive", _("Archive")
    # Taken by the system only: an overdue review or approval step of an item flagged
    # `overdue_defaults_to_approval` passes by timeout default (超时默认).
    PASS_BY_DEFAULT = "pass_by_default", _("Pass by timeout default")
    # Taken by the applicant online (no staff user; issue 19 item 2): the materials a one-time
    # notice asked for are uploaded and the case goes back to pre-review.
    SUBMIT_SUPPLEMENT = "submit_supplement", _("Supplement submitted online")


RESUME = "__previous__"

# Role sets of the table: WINDOW_ROLES, BACK_OFFICE_ROLES and MANAGER_ROLES (govhall.core.roles).
REVIEWER = frozenset({Role.REVIEWER})
APPROVER = frozenset({Role.APPROVER})


@dataclass(frozen=True)
class Transition:
    status: str
    action: str
    roles: frozenset[Role]
    next_status: str | None
    guard: str = ""  # name of a predicate in services.guards; "" means always
    system: bool = False  # taken by the system only (never a person's button)


def _rows() -> tuple[Transition, ...]:
    t = Transition
    rows: list[Transition] = [
        # intake
        # 同步预审 (issue 19): an online case passes only once every department's pre-review
        # task passed (the lead's is passed by this action itself)
        t(S.SUBMITTED, Action.PREREVIEW_PASS, WINDOW_ROLES, S.RECEIVED, guard="prereview_done"),
        t(S.SUBMITTED, Action.PREREVIEW_RETURN, WINDOW_ROLES, S.PREREVIEW_RETURNED),
        t(S.SUBMITTED, Action.REQUEST_SUPPLEMENT, WINDOW_ROLES, S.AWAITING_SUPPLEMENT),
        # the window gives the first one-time notice; a second one (after a supplement came in
        # and something is still missing) is management's override (permissions.py)
        t(
            S.RECEIVED,
            Action.REQUEST_SUPPLEMENT,
            WINDOW_ROLES | MANAGER_ROLES,
            S.AWAITING_SUPPLEMENT,
        ),
        # a second one-time notice is a violation unless management overrides with a reason
        t(S.AWAITING_SUPPLEMENT, Action.REQUEST_SUPPLEMENT, MANAGER_ROLES, None),
        t(S.AWAITING_SUPPLEMENT, Action.RECEIVE_SUPPLEMENT, WINDOW_ROLES, S.RECEIVED),
        # an online case's supplement uploaded by the applicant goes back to pre-review
        t(
            S.AWAITING_SUPPLEMENT,
            Action.SUBMIT_SUPPLEMENT,
            frozenset(),
            S.SUBMITTED,
            guard="online",
            system=True,
        ),
        t(S.RECEIVED, Action.ACCEPT, WINDOW_ROLES, S.ACCEPTED),
        t(S.RECEIVED, Action.RETURN, WINDOW_ROLES, S.NOT_ACCEPTED),
        t(S.AWAITING_SUPPLEMENT, Action.RETURN, WINDOW_ROLES, S.NOT_ACCEPTED),
        # routing after acceptance, by the window's authorization (前台受理、后台办理)
        t(S.ACCEPTED, Action.START_JOINT, WINDOW_ROLES, S.JOINT_REVIEW, guard="joint"),
        t(S.ACCEPTED, Action.ESCALATE, WINDOW_ROLES, S.ESCALATED, guard="escalated"),
        # window_decides also asks who acts: a fully authorised item's decision is the window
        # head's (chief representative), in the department's name (services.guards)
        t(S.ACCEPTED, Action.APPROVE, WINDOW_ROLES, S.APPROVED, guard="window_decides"),
        t(S.ACCEPTED, Action.DENY, WINDOW_ROLES, S.DENIED, guard="window_decides"),
        t(S.ACCEPTED, Action.REVIEW, WINDOW_ROLES, S.AWAITING_APPROVAL, guard="window_reviews"),
        t(S.ACCEPTED, Action.FORWARD, WINDOW_ROLES, S.IN_REVIEW, guard="window_forwards"),
        t(S.IN_REVIEW, Action.REVIEW, REVIEWER, S.AWAITING_APPROVAL),
        # 一审一核: whoever reviewed the case does not approve or deny it (guard on the actor)
        t(S.AWAITING_APPROVAL, Action.APPROVE, APPROVER, S.APPROVED, guard="not_reviewer"),
        t(S.AWAITING_APPROVAL, Action.DENY, APPROVER, S.DENIED, guard="not_reviewer"),
        # timeout default (超时默认): the system passes an overdue review or approval step
        t(
            S.IN_REVIEW,
            Action.PASS_BY_DEFAULT,
            frozenset(),
            S.AWAITING_APPROVAL,
            guard="timeout_default",
            system=True,
        ),
        t(
            S.AWAITING_APPROVAL,
            Action.PASS_BY_DEFAULT,
            frozenset(),
            S.APPROVED,
            guard="timeout_default",
            system=True,
        ),
        t(S.JOINT_REVIEW, Action.APPROVE, APPROVER | WINDOW_ROLES, S.APPROVED, guard="joint_done"),
        t(S.JOINT_REVIEW, Action.DENY, APPROVER | WINDOW_ROLES, S.DENIED, guard="joint_done"),
        t(
            S.ESCALATED,
            Action.RECEIVE_RESULT,
            WINDOW_ROLES | APPROVER | MANAGER_ROLES,
            S.ESCALATION_CLOSED,
        ),
        # after the decision
        t(S.APPROVED, Action.MAKE_CERTIFICATE, WINDOW_ROLES, S.CERTIFICATE_READY),
        t(S.CERTIFICATE_READY, Action.DELIVER, WINDOW_ROLES, S.DELIVERED),
        t(S.DENIED, Action.DELIVER, WINDOW_ROLES, S.DELIVERED),
        # suspension and extension (行政许可法 §45, §42)
        *[
            t(status, Action.SUSPEND, WINDOW_ROLES | BACK_OFFICE_ROLES, S.SUSPENDED)
            for status in sorted(SUSPENDABLE)
        ],
        t(S.SUSPENDED, Action.RESUME, WINDOW_ROLES | BACK_OFFICE_ROLES, RESUME),
        *[
            t(status, Action.EXTEND, APPROVER | MANAGER_ROLES, None, guard="not_extended")
            for status in sorted(SUSPENDABLE | {S.SUSPENDED})
        ],
        # green channel (容缺受理): the materials accepted as pending arrive later
        *[
            t(status, Action.RECEIVE_PENDING, WINDOW_ROLES, None, guard="has_pending")
            for status in sorted(UNDECIDED_STATUSES | AWAITING_DELIVERY)
        ],
        # transfer to another window keeps the first responder on record
        *[
            t(status, Action.TRANSFER, WINDOW_ROLES | MANAGER_ROLES, None)
            for status in sorted(
                {
                    S.RECEIVED,
                    S.AWAITING_SUPPLEMENT,
                    S.ACCEPTED,
                    S.APPROVED,
                    S.DENIED,
                    S.CERTIFICATE_READY,
                }
            )
        ],
        *[t(status, Action.WITHDRAW, WINDOW_ROLES, S.WITHDRAWN) for status in sorted(WITHDRAWABLE)],
        *[t(status, Action.VOID, MANAGER_ROLES, S.VOIDED) for status in sorted(OPEN_STATUSES)],
        *[
            t(status, Action.ARCHIVE, WINDOW_ROLES | MANAGER_ROLES, None, guard="not_archived")
            for status in sorted(FINAL_STATUSES)
        ],
    ]
    return tuple(rows)


TRANSITIONS: tuple[Transition, ...] = _rows()
_BY_KEY: dict[tuple[str, str], Transition] = {(r.status, r.action): r for r in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (status, action)"


def transition_for(status: str, action: str) -> Transition | None:
    return _BY_KEY.get((status, action))


def transitions_from(status: str) -> list[Transition]:
    return [row for row in TRANSITIONS if row.status == status]


def national_code(status: str) -> str:
    return NATIONAL_CODE[status]
