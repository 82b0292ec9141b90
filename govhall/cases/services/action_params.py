"""The parameters of each case action, as one typed object shared by every door.

The workbench form builds it from its cleaned data, the API from the `params` of its request
body, tests and intake from a plain dict: all through `action_params(action, values)`, which only
*types* the values (text, whole numbers, id lists, dates, yes/no). What the values must be (what
is required, how long, which ids belong to the case) is the engine's business, checked in
`case_act` whoever built the object; a value that could not be typed is kept in `problems` and
refused there, at the same step and with the same keys as every other parameter error.

Per action (* required by the engine): prereview_return reason*, basis; request_supplement
missing* (CaseMaterial ids), extra (texts), override_reason; receive_supplement received*;
receive_pending received*; accept kind (* online), joint_departments; return / deny reason*,
basis*; start_joint departments, task_days; suspend reason* (a SuspensionReason), note;
withdraw / void reason*; extend days*,
reason*; transfer window_id*; escalate center_id, forward_by; receive_result result*, approved;
make_certificate certificate_number; deliver method*, recipient_name*, id_last4 (pickup),
tracking_number (express). The others take none. Every action also takes
confirm_past_promise (yes/no): issue a notice whose promised date has already passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from django.utils.translation import gettext as _

from govhall.cases.case_transitions import Action
from govhall.core.validation import FieldErrors


class _Reader:
    """Types raw values (a form's cleaned data, JSON, a dict); problems go to `errors`."""

    def __init__(self, values: Mapping[str, Any] | None) -> None:
        self.values = dict(values or {})
        self.errors = FieldErrors()

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value)

    def integer(self, key: str) -> int | None:
        return self.errors.whole_number(key, self.values.get(key))

    def ids(self, key: str) -> tuple[int, ...]:
        value = self.values.get(key)
        if value is None or value == "" or value == []:
            return ()
        if isinstance(value, (str, int)) or not hasattr(value, "__iter__"):
            value = [value]
        result: list[int] = []
        for item in value:
            pk = getattr(item, "pk", item)  # a model instance stands for its id
            try:
                result.append(int(str(pk)))
            except ValueError:
                self.errors.add(key, _("Choose from the list."))
                return ()
        return tuple(dict.fromkeys(result))

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key)
        if not value:
            return ()
        if isinstance(value, str):
            value = value.splitlines()
        return tuple(str(item).strip() for item in value if str(item).strip())

    def day(self, key: str) -> datetime.date | None:
        return self.errors.day(key, self.values.get(key))

    def flag(self, key: str) -> bool | None:
        return self.errors.flag(key, self.values.get(key))


@dataclass(frozen=True, kw_only=True)
class ActionParams:
    """An action without parameters; the base of the others."""

    # Values that could not be typed: {parameter: messages}, refused by `case_act`.
    problems: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    # Every action: the clerk was warned that a notice of the action promises a date already
    # past and confirmed (`services.notices.notice_issue`); without it such a notice is refused.
    confirm_past_promise: bool = False

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {}

    @classmethod
    def read(cls, values: Mapping[str, Any] | None) -> Self:
        reader = _Reader(values)
        typed = cls._typed(reader)
        typed["confirm_past_promise"] = bool(reader.flag("confirm_past_promise"))
        problems = {key: tuple(messages) for key, messages in reader.errors.by_field.items()}
        return cls(**typed, problems=problems)


@dataclass(frozen=True, kw_only=True)
class ReasonParams(ActionParams):
    """suspend, withdraw, void."""

    reason: str = ""

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"reason": reader.text("reason")}


@dataclass(frozen=True, kw_only=True)
class SuspendParams(ActionParams):
    """suspend: the legal category (SuspensionReason code or its name) and an optional note."""

    reason: str = ""
    note: str = ""

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"reason": reader.text("reason"), "note": reader.text("note")}


@dataclass(frozen=True, kw_only=True)
class ReasonBasisParams(ActionParams):
    """prereview_return, return, deny."""

    reason: str = ""
    basis: str = ""

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"reason": reader.text("reason"), "basis": reader.text("basis")}


@dataclass(frozen=True, kw_only=True)
class RequestSupplementParams(ActionParams):
    missing: tuple[int, ...] = ()  # CaseMaterial ids
    extra: tuple[str, ...] = ()  # free-text items
    override_reason: str = ""  # management, for a second notice

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {
            "missing": reader.ids("missing"),
            "extra": reader.strings("extra"),
            "override_reason": reader.text("override_reason"),
        }


@dataclass(frozen=True, kw_only=True)
class ReceivedParams(ActionParams):
    """receive_supplement, receive_pending: the CaseMaterial ids brought."""

    received: tuple[int, ...] = ()

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"received": reader.ids("received")}


@dataclass(frozen=True, kw_only=True)
class AcceptParams(ActionParams):
    kind: str = ""  # CaseKind value; required for online cases
    joint_departments: tuple[int, ...] = ()

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"kind": reader.text("kind"), "joint_departments": reader.ids("joint_departments")}


@dataclass(frozen=True, kw_only=True)
class StartJointParams(ActionParams):
    departments: tuple[int, ...] = ()  # default: the item's joint departments
    task_days: int | None = None  # default: the case's promised days

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"departments": reader.ids("departments"), "task_days": reader.integer("task_days")}


@dataclass(frozen=True, kw_only=True)
class ExtendParams(ActionParams):
    days: int | None = None
    reason: str = ""

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"days": reader.integer("days"), "reason": reader.text("reason")}


@dataclass(frozen=True, kw_only=True)
class TransferParams(ActionParams):
    window_id: int | None = None

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"window_id": reader.integer("window_id")}


@dataclass(frozen=True, kw_only=True)
class EscalateParams(ActionParams):
    center_id: int | None = None  # default: the level that decides the item
    forward_by: datetime.date | None = None  # default: the configured working days from today

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"center_id": reader.integer("center_id"), "forward_by": reader.day("forward_by")}


@dataclass(frozen=True, kw_only=True)
class ReceiveResultParams(ActionParams):
    result: str = ""
    approved: bool | None = None

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"result": reader.text("result"), "approved": reader.flag("approved")}


@dataclass(frozen=True, kw_only=True)
class MakeCertificateParams(ActionParams):
    certificate_number: str = ""

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {"certificate_number": reader.text("certificate_number")}


@dataclass(frozen=True, kw_only=True)
class DeliverParams(ActionParams):
    method: str = ""  # DeliveryMethod value
    recipient_name: str = ""
    id_last4: str = ""  # pickup: checked against the applicant's ID
    tracking_number: str = ""  # express

    @classmethod
    def _typed(cls, reader: _Reader) -> dict[str, Any]:
        return {
            "method": reader.text("method"),
            "recipient_name": reader.text("recipient_name"),
            "id_last4": reader.text("id_last4"),
            "tracking_number": reader.text("tracking_number"),
        }


PARAMS: dict[str, type[ActionParams]] = {
    Action.PREREVIEW_PASS: ActionParams,
    Action.PREREVIEW_RETURN: ReasonBasisParams,
    Action.REQUEST_SUPPLEMENT: RequestSupplementParams,
    Action.RECEIVE_SUPPLEMENT: ReceivedParams,
    Action.RECEIVE_PENDING: ReceivedParams,
    Action.ACCEPT: AcceptParams,
    Action.RETURN: ReasonBasisParams,
    Action.FORWARD: ActionParams,
    Action.REVIEW: ActionParams,
    Action.APPROVE: ActionParams,
    Action.DENY: ReasonBasisParams,
    Action.START_JOINT: StartJointParams,
    Action.SUSPEND: SuspendParams,
    Action.RESUME: ActionParams,
    Action.EXTEND: ExtendParams,
    Action.TRANSFER: TransferParams,
    Action.ESCALATE: EscalateParams,
    Action.RECEIVE_RESULT: ReceiveResultParams,
    Action.MAKE_CERTIFICATE: MakeCertificateParams,
    Action.DELIVER: DeliverParams,
    Action.WITHDRAW: ReasonParams,
    Action.VOID: ReasonParams,
    Action.ARCHIVE: ActionParams,
    Action.PASS_BY_DEFAULT: ActionParams,
    Action.SUBMIT_SUPPLEMENT: ActionParams,
}


def params_class(action: str) -> type[ActionParams]:
    """The parameter object of `action` (ActionParams, without parameters, when unknown)."""
    return PARAMS.get(action, ActionParams)


def action_params(action: str, values: Mapping[str, Any] | None = None) -> ActionParams:
    """The typed parameters of `action` from raw values (see the module doc)."""
    return params_class(action).read(values)
