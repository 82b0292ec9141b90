"""Queue tickets (排队叫号, SPEC §7): taking a ticket, calling the next one at a window, and every
later step, driven by the table in `govhall/frontdesk/ticket_transitions.py`.

Two windows calling at the same moment never get the same ticket: on PostgreSQL the candidate
row is locked with SKIP LOCKED (the other window takes the next one without waiting); on SQLite
writers are serialized (BEGIN IMMEDIATE, see settings). In both, the status change is a
conditional UPDATE (… WHERE status = 'waiting'), so a lost race can never call a ticket twice.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.services.intake import case_receive
from govhall.catalog.models import ServiceItem
from govhall.catalog.queries.acceptance import window_accepts, windows_accepting
from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import (
    DAY,
    RateRule,
    local_day_offset,
    rate_hit,
    rate_key,
    rate_limit,
)
from govhall.core.roles import roles_of
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.frontdesk.appointment_transitions import (
    APPOINTMENT_TRANSITIONS,
    AppointmentAction,
    AppointmentParty,
)
from govhall.frontdesk.events import TICKET_ACTION_EVENTS, FrontdeskEvent
from govhall.frontdesk.models import (
    Appointment,
    ServiceGroup,
    Ticket,
    TicketCall,
    TicketCounter,
    TicketPriority,
    TicketStatus,
)
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES, PRIORITY_RANK
from govhall.frontdesk.queries.hours import after_closing
from govhall.frontdesk.services.overtime import overtime_close_if_done
from govhall.frontdesk.services.standing import (
    manages,
    skip_locked_supported,
    works_in,
)
from govhall.frontdesk.ticket_transitions import (
    TICKET_TRANSITIONS,
    WINDOW_ACTIONS,
    TicketAction,
)
from govhall.org.models import Window
from govhall.staffing.queries.cover import remembering_cover, serves_window
from govhall.workdays.queries.calendar import calendar_for

# Priorities a citizen may choose at the kiosk; the green channel is given by staff, an
# appointment priority only by checking in.
KIOSK_PRIORITIES = frozenset({TicketPriority.NORMAL, TicketPriority.ELDERLY_DISABLED})
MATTER_MAX = Ticket._meta.get_field("matter").max_length or 200
# Actions after which a window may have finished its line (延时服务 closes by itself).
OVERTIME_CLOSING_ACTIONS = frozenset(
    {TicketAction.FINISH, TicketAction.NO_SHOW, TicketAction.TRANSFER, TicketAction.CANCEL}
)


class TicketConflict(Conflict):
    """The ticket or the window is not in a state for the action: it changed since the page was
    drawn (another window acted first), or the window still serves another ticket."""


def lock_ticket(ticket_id: int) -> Ticket:
    """The one place a ticket row is locked (FOR UPDATE on PostgreSQL). Only the ticket's row:
    without OF the joined group and center rows would be locked too, and every window of the
    center would wait on each other (issue 20 item 4)."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("group", "center", "window")
        .get(pk=ticket_id)
    )


def group_windows_ids(group: ServiceGroup) -> set[int]:
    return set(group.windows.values_list("pk", flat=True))


def check_group_item(errors: FieldErrors, group: ServiceGroup, item: ServiceItem | None) -> None:
    """Refuse (in `errors`) an item `group` does not serve: a ticket or an appointment names
    only a matter of its own line."""
    if item is not None and not group.items.filter(pk=item.pk, is_active=True).exists():
        errors.add(
            "item",
            _("%(group)s does not serve %(item)s; choose another matter.")
            % {"group": str(group), "item": item.name},
        )


def _hall_open_for_tickets(group: ServiceGroup, now: datetime.datetime) -> str | None:
    if not settings.GOVHALL_QUEUE_ENFORCE_HOURS:
        return None
    local = timezone.localtime(now)
    if not calendar_for(group.center_id).is_workday(local.date()):
        return _("The hall is closed today; tickets are issued on working days.")
    if after_closing(group.center, now):
        return _("The hall has closed for today; please come back on the next working day.")
    return None


def _kiosk_limits(*, priority: str, device: str, client: str, now: datetime.datetime) -> bool:
    """Count a kiosk ticket per device and per address for the local day (RateLimited over
    GOVHALL_RATE_KIOSK_TICKETS_PER_*_DAY) and, for the elderly/disabled priority, per device
    (GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY). True when the priority is over its limit:
    the ticket is then issued as a normal one, marked for the guide to confirm. Runs inside
    `ticket_take`'s transaction: only tickets actually issued are counted."""
    offset = local_day_offset(now)
    device_key = device or f"address:{client}"
    message = _("This kiosk has issued too many tickets today; please ask the guide.")
    rate_limit(
        [
            RateRule(
                rate_key("kiosk.device", device_key),
                settings.GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY,
                DAY,
                message,
                offset,
            ),
            RateRule(
                rate_key("kiosk.address", client or "unknown"),
                settings.GOVHALL_RATE_KIOSK_TICKETS_PER_ADDRESS_DAY,
                DAY,
                message,
                offset,
            ),
        ],
        at=now,
    )
    if priority != TicketPriority.ELDERLY_DISABLED:
        return False
    decision = rate_hit(
        key=rate_key("kiosk.priority", device_key),
        limit=settings.GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY,
        window_seconds=DAY,
        offset_seconds=offset,
        at=now,
    )
    return not decision.allowed


def _next_serial(group: ServiceGroup, day: datetime.date) -> TicketCounter:
    """The group's counter of the day, locked (numbering restarts daily per group)."""
    counter = (
        TicketCounter.objects.select_for_update().filter(group=group, service_date=day).first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                TicketCounter.objects.create(group=group, service_date=day)
        except IntegrityError:
            pass  # another kiosk created it first
        counter = TicketCounter.objects.select_for_update().get(group=group, service_date=day)
    return counter


@transaction.atomic
def ticket_take(
    *,
    group: ServiceGroup,
    actor: User | None = None,
    priority: str = TicketPriority.NORMAL,
    phone: str = "",
    appointment: Appointment | None = None,
    at: datetime.datetime | None = None,
    device: str = "",
    client: str = "",
    item: ServiceItem | None = None,
    matter: str = "",
) -> Ticket:
    """Issue the next number of `group` today for `item`, the matter the citizen came for
    (one of the group's items; None: the group's line as a whole; a checked-in appointment
    brings its own item and matter). `actor` is None at the kiosk (a citizen); staff
    at the front desk may give any priority but the appointment one, which only a check-in
    gives. The public faces name the kiosk `device` (signed cookie) and the `client` address:
    kiosk tickets are then limited per day (see `_kiosk_limits`), and an elderly/disabled
    priority over the device's limit is issued as a normal ticket marked `priority_requested`
    until the guide confirms it (`ticket_confirm_priority`)."""
    now = at or timezone.now()
    day = timezone.localdate(now)
    group = ServiceGroup.objects.select_related("center").get(pk=group.pk)
    errors = FieldErrors()
    phone = idnumbers.normalize(phone)
    if not group.is_active or not group.center.is_active:
        errors.add("group", _("This group does not issue tickets."))
    if priority not in TicketPriority.values:
        errors.add("priority", _("Choose a valid priority."))
    elif priority == TicketPriority.APPOINTMENT and appointment is None:
        errors.add(
            "priority", _("An appointment priority is given by checking in the appointment.")
        )
    elif actor is None and appointment is None and priority not in KIOSK_PRIORITIES:
        errors.add("priority", _("The green channel is given by the staff at the front desk."))
    if actor is not None and not works_in(actor, group.center):
        errors.add("group", _("You do not work in this center."))
    phone_error = idnumbers.phone_error(phone) if phone else None
    if phone_error:
        errors.add("phone", phone_error)
    # An approved off-hours appointment is served outside the hall's hours by design.
    off_hours = appointment is not None and appointment.is_off_hours
    closed = None if off_hours else _hall_open_for_tickets(group, now)
    if closed:
        errors.add("group", closed)
    if appointment is not None and item is None:
        item, matter = appointment.item, matter or appointment.matter
    matter = errors.text("matter", matter, max_length=MATTER_MAX)
    if appointment is None:  # a checked-in appointment's item was checked when booked
        check_group_item(errors, group, item)
    errors.raise_if_any()
    if item is not None and not matter:
        matter = item.name[:MATTER_MAX]
    priority_requested = False
    if actor is None and appointment is None and (device or client):
        priority_requested = _kiosk_limits(priority=priority, device=device, client=client, now=now)
        if priority_requested:
            priority = TicketPriority.NORMAL

    counter = _next_serial(group, day)
    if group.daily_limit is not None and appointment is None and counter.last >= group.daily_limit:
        raise Conflict(
            {
                "group": [
                    _(
                        "All %(limit)d tickets of %(group)s for today have been issued; please "
                        "come back on the next working day or book an appointment."
                    )
                    % {"limit": group.daily_limit, "group": str(group)}
                ]
            }
        )
    if phone:
        already = (
            Ticket.objects.of_day(group.center_id, day)
            .filter(group=group, phone=phone, status=TicketStatus.WAITING)
            .values_list("number", flat=True)
            .first()
        )
        if already:
            raise Conflict(
                {
                    "phone": [
                        _("This phone number already waits with ticket %(number)s in this group.")
                        % {"number": already}
                    ]
                }
            )
    counter.last += 1
    counter.save(update_fields=["last"])
    rank_priority = TicketPriority(priority)
    ticket = Ticket.objects.create(
        center_id=group.center_id,
        group=group,
        service_date=day,
        serial=counter.last,
        number=f"{group.letter}{counter.last:03d}",
        token=secrets.token_urlsafe(12),
        priority=rank_priority,
        priority_rank=PRIORITY_RANK[rank_priority],
        phone=phone,
        issued_by=actor,
        taken_at=now,
        queued_at=now,
        appointment=appointment,
        priority_requested=priority_requested,
        item=item,
        matter=matter,
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.TICKET_TAKE,
        obj=ticket,
        center_id=group.center_id,
        data={
            "group": group.letter,
            "priority": priority,
            "appointment": getattr(appointment, "pk", None),
            **({"priority_requested": True} if priority_requested else {}),
            **({"item": item.pk} if item is not None else {}),
        },
    )
    return ticket


def _window_busy(window: Window) -> Ticket | None:
    return Ticket.objects.filter(window=window, status__in=ACTIVE_TICKET_STATUSES).first()


def _refuse_unless_serving(actor: User, window: Window, now: datetime.datetime) -> None:
    if not serves_window(actor, window, now):
        raise ValidationError(_("You do not serve %(window)s now.") % {"window": str(window)})


def _mark_called(
    ticket: Ticket,
    *,
    actor: User,
    window: Window,
    now: datetime.datetime,
    window_free: bool = False,
) -> bool:
    """The conditional UPDATE that makes a call exclusive; False when someone was faster (or,
    with `window_free`, when the window already has a ticket at hand)."""
    fields: dict[str, Any] = {
        "status": TicketStatus.CALLED,
        "window": window,
        "called_by": actor,
        "called_at": now,
        "recall_count": 0,
        "target_window": None,
        "updated_at": now,
    }
    if ticket.wait_seconds is None:
        fields["wait_seconds"] = max(0, int((now - ticket.taken_at).total_seconds()))
    still = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING)
    if window_free:
        still = still.exclude(
            Exists(Ticket.objects.filter(window=window, status__in=ACTIVE_TICKET_STATUSES))
        )
    updated = still.update(**fields)
    if updated:
        for key, value in fields.items():
            setattr(ticket, key, value)
    return bool(updated)


def _after_call(ticket: Ticket, *, actor: User, window: Window, now: datetime.datetime) -> None:
    TicketCall.objects.create(
        ticket=ticket, center_id=ticket.center_id, window=window, at=now, repeat=ticket.recall_count
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.TICKET_CALL,
        obj=ticket,
        center_id=ticket.center_id,
        data={"window": window.number, "recall": ticket.recall_count},
    )
    _notify_near_turn(ticket.group_id, ticket.center_id, ticket.service_date, now)


def _notify_near_turn(
    group_id: int, center_id: int, day: datetime.date, now: datetime.datetime
) -> None:
    """SMS to those who left a phone once only N people are ahead of them."""
    ahead = settings.GOVHALL_QUEUE_NOTIFY_AHEAD
    if ahead <= 0:
        return
    line = list(
        Ticket.objects.of_day(center_id, day)
        .waiting()
        .filter(group_id=group_id, target_window__isnull=True)
        .in_line_order()
        .values("pk", "number", "phone", "near_turn_notified_at")[: ahead + 1]
    )
    for position, row in enumerate(line):
        if not row["phone"] or row["near_turn_notified_at"] is not None:
            continue
        if not Ticket.objects.filter(pk=row["pk"], near_turn_notified_at__isnull=True).update(
            near_turn_notified_at=now
        ):
            continue
        text = _(
            "Your ticket %(number)s: %(ahead)d people ahead of you. Please come to the waiting "
            "area and watch the display board."
        ) % {"number": row["number"], "ahead": position}

        def send(pk: int = row["pk"], to: str = row["phone"], body: str = text) -> None:
            send_sms(
                to=to, text=body, purpose="queue.near_turn", center_id=center_id, obj=Ticket(pk=pk)
            )

        transaction.on_commit(send)


@transaction.atomic
def ticket_call_next(
    *, actor: User, window: Window, at: datetime.datetime | None = None
) -> Ticket | None:
    """Call the highest-priority waiting ticket among the groups `window` calls from (or one
    transferred to it by name). None when nobody waits."""
    now = at or timezone.now()
    day = timezone.localdate(now)
    _refuse_unless_serving(actor, window, now)
    lock_window(window.pk)  # one ticket at hand: against an undone no-show meanwhile
    # Few round trips (issue 20 item 4): the window's groups are a subquery of the line, and
    # "the window already has a ticket at hand" is a condition of the calling UPDATE (which
    # runs after the window lock, so it sees an undone no-show committed meanwhile); the
    # window is asked about separately only when the line is empty or the UPDATE refused.
    groups = ServiceGroup.objects.filter(windows=window.pk, is_active=True).values_list(
        "pk", flat=True
    )
    line = Ticket.objects.of_day(window.center_id, day).line_of_window(window.pk, groups)
    if skip_locked_supported():
        line = line.select_for_update(skip_locked=True, of=("self",))
    # On PostgreSQL a row another window has locked is skipped, so the first attempt succeeds;
    # the retries cover the rare case of a row called and committed between our read and update.
    for _attempt in range(20):
        ticket = line.select_related("group").first()
        if ticket is None:
            _refuse_if_busy(window)
            overtime_close_if_done(window=window, actor=actor, at=now)
            return None
        if _mark_called(ticket, actor=actor, window=window, now=now, window_free=True):
            _after_call(ticket, actor=actor, window=window, now=now)
            return ticket
        _refuse_if_busy(window)
    raise TicketConflict(_("Too many windows are calling at once; please call again."))


def _refuse_if_busy(window: Window) -> None:
    busy = _window_busy(window)
    if busy is not None:
        raise TicketConflict(
            _("Finish or mark ticket %(number)s first; a window serves one ticket at a time.")
            % {"number": busy.number}
        )


def not_accepted(ticket: Ticket, window: Window) -> str | None:
    """Why `window` cannot take `ticket`'s matter (naming the windows that can), or None."""
    if window_accepts(window.pk, ticket.item_id):
        return None
    assert ticket.item_id is not None
    numbers = [
        str(number)
        for number in windows_accepting(ticket.item_id, ticket.center_id).values_list(
            "number", flat=True
        )
    ]
    item_name = ticket.matter or str(ticket.item_id)
    if not numbers:
        return _("No window of this center accepts %(item)s now.") % {"item": item_name}
    return _("%(window)s does not accept %(item)s; windows that do: %(numbers)s.") % {
        "window": str(window),
        "item": item_name,
        "numbers": "、".join(numbers),
    }


def _refuse(message: str) -> ValidationError:
    return ValidationError(message)


# --- calling is forgiving (issue 17 item 4): undoing a 过号, putting a late citizen back ------


def lock_window(window_id: int) -> None:
    """Lock a window's row (FOR UPDATE on PostgreSQL) before giving it a ticket at hand: calling
    next and undoing a no-show at the same window then run one after the other, and the second
    sees the first one's ticket (SQLite serializes writers anyway). Only the window's row: the
    model's ordering joins the center, whose row FOR UPDATE would lock for every window of it,
    so no ordering and OF self (issue 20 item 4)."""
    list(
        Window.objects.select_for_update(of=("self",))
        .filter(pk=window_id)
        .order_by()
        .values_list("pk", flat=True)
    )


def _undo_no_show_refusal(ticket: Ticket, moment: datetime.datetime) -> str | None:
    minutes = settings.GOVHALL_NO_SHOW_UNDO_MINUTES
    if ticket.no_show_at is None or moment - ticket.no_show_at > datetime.timedelta(
        minutes=minutes
    ):
        return StateRefusal(
            _(
                "The no-show of ticket %(number)s can be undone only within %(n)d minutes; "
                "put it back in line instead."
            )
            % {"number": ticket.number, "n": minutes}
        )
    if ticket.window_id is not None:
        busy = (
            Ticket.objects.filter(window_id=ticket.window_id, status__in=ACTIVE_TICKET_STATUSES)
            .exclude(pk=ticket.pk)
            .values_list("number", flat=True)
            .first()
        )
        if busy:
            return StateRefusal(
                _(
                    "The window has called ticket %(busy)s since; put ticket %(number)s back in "
                    "line instead."
                )
                % {"busy": busy, "number": ticket.number}
            )
    return None


def _requeue_refusal(
    actor: User, ticket: Ticket, moment: datetime.datetime, superuser: bool
) -> str | None:
    if ticket.service_date != timezone.localdate(moment):
        return StateRefusal(
            _("Ticket %(number)s was for another day; please take a new ticket.")
            % {"number": ticket.number}
        )
    limit = settings.GOVHALL_REQUEUE_MAX
    if ticket.requeue_count >= limit:
        return StateRefusal(
            _(
                "Ticket %(number)s has already been put back in line %(n)d times; please take "
                "a new ticket."
            )
            % {"number": ticket.number, "n": ticket.requeue_count}
        )
    if superuser:
        return None
    at_window = ticket.window is not None and serves_window(actor, ticket.window, moment)
    if not (at_window or manages(actor, ticket.center) or works_in(actor, ticket.center)):
        return _("Your role may not do this.")
    return None


def _requeue_place(ticket: Ticket, now: datetime.datetime) -> datetime.datetime:
    """The place in line (`queued_at`) of a no-show put back: GOVHALL_REQUEUE_AFTER_PLACES
    tickets of its line are called before it (fewer if fewer wait: then at the end). Tickets
    of a higher priority are ahead anyway and count among those places; its own priority is
    kept."""
    after = settings.GOVHALL_REQUEUE_AFTER_PLACES
    line = (
        Ticket.objects.of_day(ticket.center_id, ticket.service_date)
        .waiting()
        .filter(group_id=ticket.group_id, target_window__isnull=True)
        .exclude(pk=ticket.pk)
        .in_line_order()
    )
    if after <= 0:
        return now
    higher = line.filter(priority_rank__gt=ticket.priority_rank).count()
    same = list(
        line.filter(priority_rank=ticket.priority_rank).values_list("queued_at", flat=True)[
            : max(after - higher, 0) + 1
        ]
    )
    behind = max(after - higher, 0)  # tickets of its own priority to let go first
    if behind >= len(same):
        return max(now, *same) if same else now
    if behind == 0:
        return same[0] - datetime.timedelta(microseconds=1)
    before, next_one = same[behind - 1], same[behind]
    return before + (next_one - before) / 2


@remembering_cover()
def ticket_refusal(
    actor: User, ticket: Ticket, action: str, now: datetime.datetime | None = None
) -> str | None:
    """Why `actor` may not take `action` on `ticket` now, or None when allowed; a
    `StateRefusal` when the ticket's status does not allow the action."""
    moment = now or timezone.now()
    row = TICKET_TRANSITIONS.row(ticket.status, action)
    if row is None:
        known = action in TicketAction.values
        message = _("Ticket %(number)s is %(status)s; it cannot be %(action)s.") % {
            "number": ticket.number,
            "status": TicketStatus(ticket.status).label,
            "action": TicketAction(action).label if known else action,
        }
        return StateRefusal(message) if known else message
    roles = roles_of(actor)
    superuser = getattr(actor, "is_superuser", False)
    if not superuser and row.who.isdisjoint(roles):
        return _("Your role may not do this.")
    if (
        action in WINDOW_ACTIONS
        and action != TicketAction.CALL
        and (ticket.window is None or not serves_window(actor, ticket.window, moment))
    ):
        return _("Only the window that called the ticket may do this.")
    if action == TicketAction.RECALL and ticket.recall_count >= settings.GOVHALL_QUEUE_RECALL_MAX:
        return _("Ticket %(number)s has been recalled %(n)d times; mark it as a no-show.") % {
            "number": ticket.number,
            "n": ticket.recall_count,
        }
    if action == TicketAction.CONFIRM_PRIORITY and not ticket.priority_requested:
        return _("Ticket %(number)s did not ask for priority.") % {"number": ticket.number}
    if action == TicketAction.UNDO_NO_SHOW:
        return _undo_no_show_refusal(ticket, moment)
    if action == TicketAction.REQUEUE:
        return _requeue_refusal(actor, ticket, moment, superuser)
    if (
        action in (TicketAction.TRANSFER, TicketAction.CANCEL, TicketAction.CONFIRM_PRIORITY)
        and not superuser
    ):
        at_window = ticket.window is not None and serves_window(actor, ticket.window, moment)
        if not (at_window or manages(actor, ticket.center) or works_in(actor, ticket.center)):
            return _("Your role may not do this.")
        if ticket.status != TicketStatus.WAITING and not (
            at_window or manages(actor, ticket.center)
        ):
            return _("Only the window that called the ticket may do this.")
    return None


@transaction.atomic
def ticket_act(
    *,
    actor: User,
    ticket: Ticket,
    action: str,
    window: Window | None = None,
    to_group: ServiceGroup | None = None,
    to_window: Window | None = None,
    note: str = "",
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Ticket:
    """Take `action` on `ticket` (see the transition table). `window` is needed to call a
    particular waiting ticket; a transfer names `to_group` or `to_window`."""
    now = at or timezone.now()
    # Windows are locked before tickets everywhere (call-next does the same): a call and an
    # undone no-show at one window then wait for each other instead of deadlocking.
    if action == TicketAction.CALL and window is not None:
        lock_window(window.pk)
    elif action == TicketAction.UNDO_NO_SHOW:
        at_window = Ticket.objects.filter(pk=ticket.pk).values_list("window_id", flat=True)
        if at_window and at_window[0] is not None:
            lock_window(at_window[0])
    locked = lock_ticket(ticket.pk)
    if expected_status is not None and locked.status != expected_status:
        raise TicketConflict(
            _("Ticket %(number)s is now %(status)s; reload the page.")
            % {"number": locked.number, "status": TicketStatus(locked.status).label}
        )
    if action == TicketAction.CALL:
        if window is None:
            raise ValidationError(_("Choose the window that calls."))
        _refuse_unless_serving(actor, window, now)
        if locked.status != TicketStatus.WAITING:
            raise TicketConflict(
                _("Ticket %(number)s is %(status)s; it cannot be called.")
                % {"number": locked.number, "status": TicketStatus(locked.status).label}
            )
        busy = _window_busy(window)
        if busy is not None:
            raise TicketConflict(
                _("Finish or mark ticket %(number)s first; a window serves one ticket at a time.")
                % {"number": busy.number}
            )
        if not (
            locked.target_window_id == window.pk
            or (
                locked.target_window_id is None
                and window.service_groups.filter(pk=locked.group_id).exists()
            )
        ):
            raise ValidationError(
                _("%(window)s does not call tickets of this group.") % {"window": str(window)}
            )
        refused = not_accepted(locked, window)
        if refused:
            raise ValidationError(refused)
        if not _mark_called(locked, actor=actor, window=window, now=now):
            raise TicketConflict(_("Another window called this ticket first."))
        _after_call(locked, actor=actor, window=window, now=now)
        return locked

    refusal = ticket_refusal(actor, locked, action, now)
    if refusal:
        raise refusal_error(refusal, conflict=TicketConflict)
    row = TICKET_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    data: dict[str, Any] = {"from": locked.status}
    before_window = locked.window
    if action == TicketAction.RECALL:
        locked.recall_count += 1
        locked.called_at = now
    elif action == TicketAction.START:
        locked.started_at = now
    elif action == TicketAction.FINISH:
        locked.finished_at = now
        locked.service_seconds = max(0, int((now - (locked.started_at or now)).total_seconds()))
    elif action == TicketAction.CANCEL:
        locked.cancelled_at = now
    elif action == TicketAction.CONFIRM_PRIORITY:
        locked.priority = TicketPriority.ELDERLY_DISABLED
        locked.priority_rank = PRIORITY_RANK[TicketPriority.ELDERLY_DISABLED]
        locked.priority_requested = False
        data["priority"] = TicketPriority.ELDERLY_DISABLED
    elif action == TicketAction.TRANSFER:
        _transfer(locked, to_group=to_group, to_window=to_window, data=data)
        locked.window = None
        locked.called_by = None
        locked.started_at = None
        locked.recall_count = 0
    elif action == TicketAction.NO_SHOW:
        locked.no_show_at = now
    elif action == TicketAction.UNDO_NO_SHOW:
        data["no_show_at"] = locked.no_show_at.isoformat() if locked.no_show_at else None
        locked.no_show_at = None
    elif action == TicketAction.REQUEUE:
        locked.queued_at = _requeue_place(locked, now)
        locked.requeue_count += 1
        data.update(window=getattr(before_window, "number", None), times=locked.requeue_count)
        locked.no_show_at = None
        locked.window = None
        locked.called_by = None
        locked.recall_count = 0
        locked.target_window = None
        locked.near_turn_notified_at = None
    locked.status = row.next_state
    locked.save()
    if action == TicketAction.RECALL and before_window is not None:
        _after_call(locked, actor=actor, window=before_window, now=now)
        return locked
    if action == TicketAction.START and locked.appointment_id:
        _appointment_served(locked, actor=actor, now=now)
    record_event(
        actor=actor,
        action=TICKET_ACTION_EVENTS[action],
        obj=locked,
        center_id=locked.center_id,
        note=(note or "").strip()[:2000],
        data=data,
    )
    if action == TicketAction.REQUEUE or (action == TicketAction.TRANSFER and to_group is not None):
        _notify_near_turn(locked.group_id, locked.center_id, locked.service_date, now)
    if before_window is not None and action in OVERTIME_CLOSING_ACTIONS:
        # 延时服务: the line finished after closing closes the window's overtime record.
        overtime_close_if_done(window=before_window, actor=actor, at=now)
    return locked


def ticket_confirm_priority(
    *, actor: User, ticket: Ticket, at: datetime.datetime | None = None
) -> Ticket:
    """The guide (or a clerk, a manager of the center) confirms the elderly/disabled priority
    a kiosk ticket asked for beyond the device's daily limit: the ticket moves up the line
    with that priority (event `ticket.confirm_priority`)."""
    return ticket_act(
        actor=actor,
        ticket=ticket,
        action=TicketAction.CONFIRM_PRIORITY,
        expected_status=TicketStatus.WAITING,
        at=at,
    )


def _appointment_served(ticket: Ticket, *, actor: User, now: datetime.datetime) -> None:
    """Service of a checked-in appointment's ticket started: the appointment is served, at the
    moment it was called (what "served on time" is measured on)."""
    served_at = ticket.called_at or now
    appointment_id = ticket.appointment_id
    assert appointment_id is not None
    # The system's row of the appointment table (appointment_transitions.py).
    (row,) = [
        row
        for row in APPOINTMENT_TRANSITIONS.rows
        if row.action == AppointmentAction.SERVE and AppointmentParty.SYSTEM in row.who
    ]
    if Appointment.objects.filter(pk=appointment_id, status=row.state).update(
        status=row.next_state, served_at=served_at
    ):
        record_event(
            actor=actor,
            action=FrontdeskEvent.APPOINTMENT_SERVE,
            obj=Appointment.objects.get(pk=appointment_id),
            center_id=ticket.center_id,
            data={"ticket": ticket.number},
        )


def _transfer(
    ticket: Ticket,
    *,
    to_group: ServiceGroup | None,
    to_window: Window | None,
    data: dict[str, Any],
) -> None:
    if (to_group is None) == (to_window is None):
        raise ValidationError(_("Transfer to one other group or one window."))
    if to_group is not None:
        if to_group.center_id != ticket.center_id or not to_group.is_active:
            raise ValidationError(_("Choose an active group of this center."))
        if to_group.pk == ticket.group_id and ticket.target_window_id is None:
            raise ValidationError(_("The ticket is already in this group."))
        data["to_group"] = to_group.letter
        if ticket.item_id is not None and not to_group.items.filter(pk=ticket.item_id).exists():
            # The staff judged the matter belongs elsewhere: the item chosen no longer binds
            # the ticket's windows (its name stays as the stated matter).
            data["item_cleared"] = ticket.item_id
            ticket.item = None
        ticket.group = to_group
        ticket.target_window = None
    if to_window is not None:
        if to_window.center_id != ticket.center_id or not to_window.is_active:
            raise ValidationError(_("Choose an active window of this center."))
        if to_window.pk == ticket.window_id:
            raise ValidationError(_("The ticket is already at this window."))
        refused = not_accepted(ticket, to_window)
        if refused:
            raise ValidationError(refused)
        data["to_window"] = to_window.number
        ticket.target_window = to_window
    # queued_at stays: the ticket keeps its place in line.


@transaction.atomic
def ticket_open_case(*, actor: User, ticket: Ticket, **intake: Any) -> Any:
    """Receive a case at the window serving `ticket` (the same intake as the case page) and link
    the ticket to it, in one transaction."""
    locked = lock_ticket(ticket.pk)
    now = intake.get("at") or timezone.now()
    if locked.status not in ACTIVE_TICKET_STATUSES or locked.window is None:
        raise TicketConflict(
            _("Call ticket %(number)s to your window before opening a case from it.")
            % {"number": locked.number}
        )
    _refuse_unless_serving(actor, locked.window, now)
    case = case_receive(actor=actor, window=locked.window, **intake)
    if locked.status == TicketStatus.CALLED:
        locked.status = TicketStatus.SERVING
        locked.started_at = now
    locked.case = case
    locked.save()
    record_event(
        actor=actor,
        action=FrontdeskEvent.TICKET_OPEN_CASE,
        obj=locked,
        center_id=locked.center_id,
        data={"case": case.pk, "number": case.number},
    )
    return case
