"""12345 hotline work orders (issue 15 item 4): receiving, routing, signing (签收), sending back
as not ours, extending, replying and the return visit (回访, 发回重办).

Every change is atomic, locks the order, checks the caller's `version` when given (a stale page
is a `Conflict`), follows the transition table `govhall/feedback/work_order_transitions.py`
(read its text for the parties, guards and deadlines) and writes an event; sign, send-back and
reply queue a webhook delivery to the hotline in the same transaction
(`services/work_order_webhook.py`).

A limit of N working days ends at closing time of the N-th working day of the order's center
after the day it starts from (that day not counted), like every limit of the hall (SPEC §4): an
order received on a Friday with 1 working day to sign is on time until Monday's closing time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.idnumbers import normalize, phone_error
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.roles import WORK_ORDER_DEPARTMENT_ROLES
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.feedback.access.work_orders import hotline_centers, is_hotline_account
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import WorkOrder, WorkOrderKind, WorkOrderSource, WorkOrderStatus
from govhall.feedback.services.numbers import next_register_number
from govhall.feedback.services.work_order_webhook import delivery_queue
from govhall.feedback.work_order_transitions import (
    WORK_ORDER_TRANSITIONS,
    WorkOrderAction,
    WorkOrderParty,
)
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department, Staff
from govhall.workdays.queries.calendar import deadline_at

A = WorkOrderAction
S = WorkOrderStatus
NUMBER_MAX = WorkOrder._meta.get_field("hotline_number").max_length or 40
TITLE_MAX = WorkOrder._meta.get_field("title").max_length or 200
CONTENT_MAX = 10000
NAME_MAX = WorkOrder._meta.get_field("citizen_name").max_length or 60
REASON_MAX = WorkOrder._meta.get_field("send_back_reason").max_length or 1000
REPLY_MAX = 10000
# Orders typed in without the hotline's number get one of ours: RX<center code><yyyyMMdd><serial>.
STAFF_NUMBER_PREFIX = "RX"
# Kinds finished within the short limit (咨询, 求助); the others (投诉, 举报, 建议) take the
# long one.
SHORT_KINDS = frozenset({WorkOrderKind.CONSULTATION.value, WorkOrderKind.HELP.value})
# What must match for a second post of the same hotline number to be "the same order".
SAME_ORDER_FIELDS = (
    "center_id",
    "kind",
    "title",
    "content",
    "citizen_name",
    "citizen_phone",
    "department_id",
)


# --- deadlines -----------------------------------------------------------------------------------


def limit_end(
    center: Center, start: datetime.datetime | datetime.date, days: int
) -> datetime.datetime:
    """The end of a limit of `days` working days of the center counted from `start`'s day (not
    counted): closing time of the last day, as every limit of the hall (SPEC §4)."""
    day = start if not isinstance(start, datetime.datetime) else timezone.localdate(start)
    return deadline_at(center.pk, day, days, center.closing_time)


def last_day_of(due: datetime.datetime) -> datetime.date:
    """The last day a limit ending at `due` includes (what pages show as "by")."""
    return timezone.localdate(due - datetime.timedelta(microseconds=1))


def finish_workdays(kind: str) -> int:
    if kind in SHORT_KINDS:
        return int(settings.GOVHALL_WORK_ORDER_SHORT_WORKDAYS)
    return int(settings.GOVHALL_WORK_ORDER_LONG_WORKDAYS)


# --- who the actor is to an order ----------------------------------------------------------------


class WorkOrderViewer:
    """The parties of the transition table `user` is to orders: staff of the order's department
    (with a role of WORK_ORDER_DEPARTMENT_ROLES), hall management of its center, the hotline's
    account. Read once per viewer, so a list asks a few times, not once per row."""

    def __init__(self, user: object) -> None:
        self.user = user
        self._department: int | bool | None = False
        self._managed: set[int] | None = None
        self._hotline: set[int] | None = None

    def _department_id(self) -> int | None:
        if self._department is False:
            scope = scope_of(self.user)
            department = None
            if scope.roles & WORK_ORDER_DEPARTMENT_ROLES:
                department = (
                    Staff.objects.filter(user_id=getattr(self.user, "pk", 0))
                    .values_list("department_id", flat=True)
                    .first()
                )
            self._department = department
        return self._department if isinstance(self._department, int) else None

    def _managed_ids(self) -> set[int]:
        if self._managed is None:
            scope = scope_of(self.user)
            self._managed = (
                set(centers_in_scope(self.user).values_list("pk", flat=True))
                if scope.can_manage
                else set()
            )
        return self._managed

    def _hotline_ids(self) -> set[int]:
        if self._hotline is None:
            self._hotline = set(hotline_centers(self.user).values_list("pk", flat=True))
        return self._hotline

    def parties(self, order: WorkOrder) -> frozenset[str]:
        if not getattr(self.user, "is_authenticated", False) or not getattr(
            self.user, "is_active", False
        ):
            return frozenset()
        found: set[str] = set()
        if order.center_id in self._managed_ids():
            found.add(WorkOrderParty.MANAGER.value)
        department = self._department_id()
        if department is not None and order.department_id == department:
            found.add(WorkOrderParty.DEPARTMENT.value)
        if is_hotline_account(self.user) and order.center_id in self._hotline_ids():
            found.add(WorkOrderParty.HOTLINE.value)
        return frozenset(found)


# --- guards and refusals -------------------------------------------------------------------------


def _guard(order: WorkOrder, guard: str, now: datetime.datetime) -> str:
    if guard == "has_department" and order.department_id is None:
        return _("Route the order to a department before it is signed for.")
    if guard == "send_back_window" and now > order.send_back_due_at:
        return _(
            "The time to send this order back has passed (%(days)s working days, until "
            "%(day)s); sign for it and handle it, or ask the hall's management."
        ) % {
            "days": settings.GOVHALL_WORK_ORDER_SEND_BACK_WORKDAYS,
            "day": last_day_of(order.send_back_due_at).isoformat(),
        }
    if guard == "extension_once":
        if order.extension_days:
            return StateRefusal(_("This order has already been extended once."))
        if order.finish_due_at is not None and now > order.finish_due_at:
            return _("The time limit has passed: an extension is asked for before it ends.")
    return ""


def _who_refusal(action: str) -> str:
    if action == A.RETURN_VISIT:
        return _("Only the hall's management or the hotline records the return visit.")
    if action == A.ROUTE:
        return _("Only the hall's management routes orders to departments.")
    return _("Only the staff of the order's department or the hall's management may do this.")


def work_order_refusal(
    actor: object,
    order: WorkOrder,
    action: str,
    now: datetime.datetime | None = None,
    *,
    viewer: WorkOrderViewer | None = None,
) -> str | None:
    """Why `actor` may not take `action` on `order` now (table, party, guard), or None. A
    `StateRefusal` when the order's state stands in the way."""
    moment = now or timezone.now()
    row = WORK_ORDER_TRANSITIONS.row(order.status, action)
    parties = (viewer or WorkOrderViewer(actor)).parties(order)
    if not parties & WORK_ORDER_TRANSITIONS.who_may(action):
        return _who_refusal(action)
    if row is None:
        return StateRefusal(
            _("This order is %(status)s; that cannot be done now.")
            % {"status": order.get_status_display()}
        )
    if not parties & row.who:
        return _who_refusal(action)
    if row.guard:
        return _guard(order, row.guard, moment) or None
    return None


def work_order_actions(
    user: object,
    order: WorkOrder,
    at: datetime.datetime | None = None,
    *,
    viewer: WorkOrderViewer | None = None,
) -> list[Transition]:
    """The rows `user` may take on `order` now: the page's buttons and the API's `actions`."""
    viewer = viewer or WorkOrderViewer(user)
    return [
        row
        for row in WORK_ORDER_TRANSITIONS.rows_from(order.status)
        if work_order_refusal(user, order, row.action, at, viewer=viewer) is None
    ]


def _locked(order: WorkOrder, version: int | None) -> WorkOrder:
    found = WorkOrder.objects.select_for_update().filter(pk=order.pk).first()
    if found is None:
        raise ValidationError(_("No such work order."))
    if version is not None and version != found.version:
        raise Conflict(_("This order changed since you opened it; reload and try again."))
    return found


def _check(actor: User, order: WorkOrder, action: str, now: datetime.datetime) -> Transition:
    refusal = work_order_refusal(actor, order, action, now)
    if refusal:
        raise refusal_error(refusal)
    row = WORK_ORDER_TRANSITIONS.row(order.status, action)
    assert row is not None
    return row


def _save(order: WorkOrder, fields: list[str]) -> None:
    order.version += 1
    order.save(update_fields=[*fields, "version"])


def _event(actor: User | None, action: str, order: WorkOrder, data: dict[str, Any]) -> None:
    record_event(actor=actor, action=action, obj=order, center_id=order.center_id, data=data)


def _department_out(order: WorkOrder) -> dict[str, str] | None:
    department = order.department
    if department is None:
        return None
    return {"code": department.code, "name": department.name}


# --- receiving -----------------------------------------------------------------------------------


def _same_order(existing: WorkOrder, fresh: WorkOrder) -> bool:
    return all(getattr(existing, name) == getattr(fresh, name) for name in SAME_ORDER_FIELDS)


def _may_receive(actor: User | None, center: Center) -> bool:
    if actor is None:
        return False
    if is_hotline_account(actor):
        return hotline_centers(actor).filter(pk=center.pk).exists()
    return manages_center(actor, center.pk)


@transaction.atomic
def work_order_receive(
    *,
    actor: User,
    center: Center,
    kind: str,
    title: str,
    content: str,
    hotline_number: str = "",
    citizen_name: str = "",
    citizen_phone: str = "",
    department: Department | None = None,
    source: str = WorkOrderSource.STAFF,
    received_at: datetime.datetime | None = None,
) -> tuple[WorkOrder, bool]:
    """Receive an order: from the hotline platform (`source` api, the hotline's number is the
    idempotency key) or typed in by hall management (a number of ours when the hotline's is not
    known). Returns (order, created): the same number with the same content again gives the
    existing order; with different content it is a `Conflict`. Safe with two posts at once."""
    now = timezone.now()
    if not _may_receive(actor, center):
        raise ValidationError(_("You may not receive 12345 work orders for this center."))
    errors = FieldErrors()
    errors.choice("kind", kind, WorkOrderKind.values, message=_("Choose the kind of order."))
    errors.choice("source", source, WorkOrderSource.values)
    number = errors.text("hotline_number", hotline_number, max_length=NUMBER_MAX)
    if not number and source == WorkOrderSource.API:
        errors.add("hotline_number", _("Give the hotline's order number."))
    title = errors.text(
        "title", title, max_length=TITLE_MAX, required=_("Give the order a short title.")
    )
    content = errors.text(
        "content", content, max_length=CONTENT_MAX, required=_("Write down what the citizen asks.")
    )
    citizen_name = errors.text("citizen_name", citizen_name, max_length=NAME_MAX)
    citizen_phone = normalize(citizen_phone or "")
    if citizen_phone:
        message = phone_error(citizen_phone)
        if message:
            errors.add("citizen_phone", message)
    if department is not None and (department.center_id != center.pk or not department.is_active):
        errors.add("department", _("The department is not stationed in this center."))
    moment = received_at or now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    if moment > now + datetime.timedelta(minutes=5):
        errors.add("received_at", _("The time received cannot be in the future."))
    try:
        sign_due = limit_end(center, moment, settings.GOVHALL_WORK_ORDER_SIGN_WORKDAYS)
        send_back_due = limit_end(center, moment, settings.GOVHALL_WORK_ORDER_SEND_BACK_WORKDAYS)
    except (ValueError, OverflowError):  # outside the working-day calendar's years
        errors.add("received_at", _("The time received is outside the working-day calendar."))
        sign_due = send_back_due = now
    errors.raise_if_any()
    fresh = WorkOrder(
        center=center,
        hotline_number=number,
        source=source,
        kind=kind,
        title=title,
        content=content,
        citizen_name=citizen_name,
        citizen_phone=citizen_phone,
        department=department,
        received_at=moment,
        received_by=actor,
        sign_due_at=sign_due,
        send_back_due_at=send_back_due,
    )
    if number:
        existing = WorkOrder.objects.filter(hotline_number=number).first()
        if existing is not None:
            return _existing(existing, fresh)
    try:
        with transaction.atomic():
            if not fresh.hotline_number:
                fresh.hotline_number = next_register_number(
                    letters=STAFF_NUMBER_PREFIX, center=center, day=timezone.localdate(moment)
                )
            fresh.save()
            _event(
                actor,
                FeedbackEvent.WORK_ORDER_RECEIVE,
                fresh,
                {
                    "source": source,
                    "kind": kind,
                    "hotline_number": fresh.hotline_number,
                    "department_id": fresh.department_id,
                },
            )
    except IntegrityError:
        # Another post of the same number committed first (the unique index waited for it).
        existing = WorkOrder.objects.filter(hotline_number=number).first()
        if existing is None:
            raise
        return _existing(existing, fresh)
    return fresh, True


def _existing(existing: WorkOrder, fresh: WorkOrder) -> tuple[WorkOrder, bool]:
    if not _same_order(existing, fresh):
        raise Conflict(
            {
                "hotline_number": [
                    _(
                        "An order with this hotline number exists with different content; "
                        "nothing was changed."
                    )
                ]
            }
        )
    return existing, False


# --- the transitions -----------------------------------------------------------------------------


@transaction.atomic
def work_order_route(
    *,
    actor: User,
    order: WorkOrder,
    department: Department | None,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """Hall management routes an unsigned order to a department of its center."""
    now = at or timezone.now()
    found = _locked(order, version)
    _check(actor, found, A.ROUTE, now)
    if department is None:
        raise ValidationError({"department": [_("Choose the department.")]})
    if department.center_id != found.center_id or not department.is_active:
        raise ValidationError(
            {"department": [_("The department is not stationed in this center.")]}
        )
    before = found.department_id
    found.department = department
    _save(found, ["department"])
    _event(
        actor,
        FeedbackEvent.WORK_ORDER_ROUTE,
        found,
        {"department_id": department.pk, "from_department_id": before},
    )
    return found


@transaction.atomic
def work_order_sign(
    *,
    actor: User,
    order: WorkOrder,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """The department signs for the order (签收); the finish limit runs from today."""
    now = at or timezone.now()
    found = _locked(order, version)
    row = _check(actor, found, A.SIGN, now)
    assert row.next_state is not None
    found.status = row.next_state
    found.signed_at = now
    found.signed_by = actor
    found.finish_due_at = limit_end(found.center, now, finish_workdays(found.kind))
    _save(found, ["status", "signed_at", "signed_by", "finish_due_at"])
    late = now > found.sign_due_at
    _event(
        actor,
        FeedbackEvent.WORK_ORDER_SIGN,
        found,
        {"finish_due_at": found.finish_due_at.isoformat(), "late": late},
    )
    delivery_queue(
        order=found,
        event=A.SIGN.value,
        at=now,
        payload={
            "signed_at": now.isoformat(),
            "department": _department_out(found),
            "finish_due_at": found.finish_due_at.isoformat(),
        },
    )
    return found


@transaction.atomic
def work_order_send_back(
    *,
    actor: User,
    order: WorkOrder,
    reason: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """Send the order back to the hotline as not ours, with the reason, within the window."""
    now = at or timezone.now()
    found = _locked(order, version)
    row = _check(actor, found, A.SEND_BACK, now)
    errors = FieldErrors()
    reason = errors.text(
        "reason",
        reason,
        max_length=REASON_MAX,
        required=_("Say why the order is not this center's or department's."),
    )
    errors.raise_if_any()
    assert row.next_state is not None
    found.status = row.next_state
    found.send_back_reason = reason
    _save(found, ["status", "send_back_reason"])
    _event(actor, FeedbackEvent.WORK_ORDER_SEND_BACK, found, {"reason": reason[:300]})
    delivery_queue(order=found, event=A.SEND_BACK.value, at=now, payload={"reason": reason})
    return found


@transaction.atomic
def work_order_extend(
    *,
    actor: User,
    order: WorkOrder,
    days: object,
    reason: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """One extension of the finish limit, of up to GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS
    working days, with the reason, asked before the limit ends."""
    now = at or timezone.now()
    found = _locked(order, version)
    _check(actor, found, A.EXTEND, now)
    errors = FieldErrors()
    most = int(settings.GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS)
    count = errors.whole_number(
        "days", days, required=_("Give the working days of the extension."), minimum=1, maximum=most
    )
    reason = errors.text(
        "reason", reason, max_length=REASON_MAX, required=_("Give the reason for the extension.")
    )
    errors.raise_if_any()
    assert count is not None and found.finish_due_at is not None
    found.extension_days = count
    found.extension_reason = reason
    found.finish_due_at = limit_end(found.center, last_day_of(found.finish_due_at), count)
    _save(found, ["extension_days", "extension_reason", "finish_due_at"])
    _event(
        actor,
        FeedbackEvent.WORK_ORDER_EXTEND,
        found,
        {"days": count, "reason": reason[:300], "finish_due_at": found.finish_due_at.isoformat()},
    )
    return found


@transaction.atomic
def work_order_reply(
    *,
    actor: User,
    order: WorkOrder,
    reply: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """The department's reply; it goes back to the hotline through the webhook."""
    now = at or timezone.now()
    found = _locked(order, version)
    row = _check(actor, found, A.REPLY, now)
    errors = FieldErrors()
    reply = errors.text(
        "reply", reply, max_length=REPLY_MAX, required=_("Write the reply to the citizen.")
    )
    errors.raise_if_any()
    assert row.next_state is not None
    found.status = row.next_state
    found.reply = reply
    found.replied_at = now
    found.replied_by = actor
    _save(found, ["status", "reply", "replied_at", "replied_by"])
    late = found.finish_due_at is not None and now > found.finish_due_at
    _event(actor, FeedbackEvent.WORK_ORDER_REPLY, found, {"late": late, "redo": found.redo_count})
    delivery_queue(
        order=found,
        event=A.REPLY.value,
        at=now,
        payload={"reply": reply, "replied_at": now.isoformat(), "redo_count": found.redo_count},
    )
    return found


@transaction.atomic
def work_order_return_visit(
    *,
    actor: User,
    order: WorkOrder,
    satisfied: object,
    note: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> WorkOrder:
    """The return visit (回访): satisfied closes the order; dissatisfied sends it back to the
    department to be redone (发回重办) with a new finish limit counted from today."""
    now = at or timezone.now()
    found = _locked(order, version)
    _check(actor, found, A.RETURN_VISIT, now)
    errors = FieldErrors()
    happy = errors.flag("satisfied", satisfied)
    if happy is None and "satisfied" not in errors:
        errors.add("satisfied", _("Say whether the citizen was satisfied."))
    note = errors.text(
        "note",
        note,
        max_length=REASON_MAX,
        required="" if happy is not False else _("Say what the citizen was dissatisfied with."),
    )
    errors.raise_if_any()
    found.return_visit_satisfied = happy
    if happy:
        found.status = S.CLOSED
        found.closed_at = now
        fields = ["status", "closed_at", "return_visit_satisfied"]
    else:
        found.status = S.SIGNED
        found.redo_count += 1
        found.finish_due_at = limit_end(found.center, now, finish_workdays(found.kind))
        fields = ["status", "redo_count", "finish_due_at", "return_visit_satisfied"]
    _save(found, fields)
    _event(
        actor,
        FeedbackEvent.WORK_ORDER_RETURN_VISIT,
        found,
        {
            "satisfied": bool(happy),
            "note": note[:300],
            "redo_count": found.redo_count,
            "finish_due_at": found.finish_due_at.isoformat() if found.finish_due_at else None,
        },
    )
    return found
