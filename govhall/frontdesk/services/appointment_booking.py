"""Booking an appointment slot (预约服务, SPEC §7; seeds/000… 篇1 六、预约服务制度) and the life of
a booking: the public look-up, cancelling, and checking in at the kiosk, which issues its queue
ticket.

A booking takes a place in its slot with the slot's conditional UPDATE (appointment_slots.py),
so concurrent bookings never overbook; the applicant's checks are shared with off-hours requests
(appointment_applicants.py), and whether a change is allowed is the appointment table's answer
(appointment_rules.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.models import ServiceItem
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit, rate_refund
from govhall.core.validation import Conflict, FieldErrors, refusal_error
from govhall.frontdesk.appointment_transitions import APPOINTMENT_TRANSITIONS, AppointmentAction
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import (
    Appointment,
    AppointmentStatus,
    ServiceGroup,
    Slot,
    Ticket,
    TicketPriority,
)
from govhall.frontdesk.models.appointment import PhoneCode
from govhall.frontdesk.services.appointment_applicants import (
    appointment_insert,
    appointment_sms,
    intake_applicant,
    intake_begin,
    last4_matches,
    normalize_code,
    public_door,
)
from govhall.frontdesk.services.appointment_rules import appointment_refusal
from govhall.frontdesk.services.appointment_slots import (
    appointment_when,
    booking_window,
    is_known_workday,
    slot_free_place,
    slot_take_place,
    slots_ensure,
)
from govhall.frontdesk.services.tickets import check_group_item, ticket_take
from govhall.org.models import Center


def appointment_book(
    *,
    actor: User | None,
    group: ServiceGroup,
    date: datetime.date,
    starts: datetime.time,
    name: str,
    id_number: str,
    phone: str,
    matter: str = "",
    channel: str,
    at: datetime.datetime | None = None,
    client: str = "",
    phone_code: str = "",
    item: ServiceItem | None = None,
) -> Appointment:
    """Book a place in the slot of `group` starting at `starts` on `date`, for `item` (one of
    the group's items, kept with its name as the matter when none is typed). `actor` is None on
    the portal and the public API (then `client` is the caller's address, the attempt is
    rate-limited, and `phone_code` must be the SMS code of `phone`: RateLimited or
    ValidationError otherwise); staff book phone calls (channel phone) and at the desk."""
    code_row: PhoneCode | None = None
    code_errors = FieldErrors()
    if actor is None:
        code_row, code_errors = public_door(
            door="booking",
            per_address_hour=settings.GOVHALL_RATE_BOOKING_PER_ADDRESS_HOUR,
            per_id_day=settings.GOVHALL_RATE_BOOKING_PER_ID_DAY,
            id_number=id_number,
            phone=phone,
            client=client,
            phone_code=phone_code,
            at=at,
        )
    return _book(
        actor=actor,
        group=group,
        date=date,
        starts=starts,
        name=name,
        id_number=id_number,
        phone=phone,
        matter=matter,
        channel=channel,
        at=at,
        code_row=code_row,
        code_errors=code_errors,
        item=item,
    )


def _check_slot(
    errors: FieldErrors,
    group: ServiceGroup,
    date: datetime.date,
    starts: datetime.time,
    today: datetime.date,
) -> Slot | None:
    """The open slot of `group` starting at `starts` on `date`, within the booking window;
    None with the refusal in `errors` otherwise."""
    center = group.center
    first, last = booking_window(center.pk, today)
    if date < first:
        errors.add(
            "date",
            _("Appointments are made from %(first)s on (at least %(days)d day ahead).")
            % {"first": first.isoformat(), "days": settings.GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD},
        )
        return None
    if date > last:
        errors.add(
            "date",
            _("Appointments are made up to %(days)d working days ahead, until %(last)s.")
            % {"days": settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD, "last": last.isoformat()},
        )
        return None
    if not is_known_workday(center.pk, date):
        errors.add(
            "date",
            _("%(date)s is not a working day; ask for an off-hours appointment instead.")
            % {"date": date.isoformat()},
        )
        return None
    slots_ensure(group, date)
    slot = Slot.objects.filter(group=group, date=date, starts=starts).first()
    if slot is None:
        errors.add(
            "starts",
            _(
                "No appointment slot starts at %(time)s; outside service hours, ask for "
                "an off-hours appointment."
            )
            % {"time": starts.strftime("%H:%M")},
        )
        return None
    if slot.closed_reason:
        errors.add("starts", _("This slot is closed: %(reason)s") % {"reason": slot.closed_reason})
        return None
    return slot


@transaction.atomic
def _book(
    *,
    actor: User | None,
    group: ServiceGroup,
    date: datetime.date,
    starts: datetime.time,
    name: str,
    id_number: str,
    phone: str,
    matter: str,
    channel: str,
    at: datetime.datetime | None,
    code_row: PhoneCode | None,
    code_errors: FieldErrors,
    item: ServiceItem | None = None,
) -> Appointment:
    intake = intake_begin(
        actor=actor, group=group, channel=channel, id_number=id_number, phone=phone, at=at
    )
    group, center = intake.group, intake.center
    check_group_item(intake.errors, group, item)
    if item is not None and not str(matter or "").strip():
        matter = item.name
    slot = _check_slot(intake.errors, group, date, starts, intake.today)
    name, matter = intake_applicant(
        intake, name=name, matter=matter, day=date, code_row=code_row, code_errors=code_errors
    )
    assert slot is not None
    if not slot_take_place(slot.pk):
        raise Conflict({"starts": [_("This slot is fully booked; please choose another time.")]})
    appointment = appointment_insert(
        Appointment(
            center=center,
            group=group,
            slot=slot,
            date=date,
            starts=slot.starts,
            ends=slot.ends,
            name=name,
            id_number=intake.id_number,
            phone=intake.phone,
            matter=matter,
            item=item,
            channel=channel,
            status=AppointmentStatus.BOOKED,
            booked_by=intake.booked_by,
        )
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_BOOK,
        obj=appointment,
        center_id=center.pk,
        data={
            "group": group.letter,
            "slot": slot.pk,
            "channel": channel,
            **({"item": item.pk} if item is not None else {}),
        },
    )
    appointment_sms(
        appointment,
        _(
            "Your appointment at %(center)s (%(group)s) on %(when)s is booked. Booking code "
            "%(code)s: enter it at the ticket kiosk when you arrive."
        )
        % {
            "center": center.name,
            "group": group.name,
            "when": appointment_when(appointment),
            "code": appointment.code,
        },
        "appointment.book",
    )
    return appointment


def appointment_lookup_public(
    *, code: str, last4: str, client: str, at: datetime.datetime | None = None
) -> Appointment | None:
    """The public "my appointment" door (lookup, and the cancel after it): the appointment
    with this booking code when the last 4 characters of its ID number match, else None.
    Limited per client address and per code (GOVHALL_RATE_LOOKUP_PER_*_HOUR): RateLimited."""
    normalized = normalize_code(code)
    rate_limit(
        [
            RateRule(
                rate_key("lookup.address", client or "unknown"),
                settings.GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR,
                HOUR,
                _("Too many look-ups from your network. Please try again later."),
            ),
            RateRule(
                rate_key("lookup.code", normalized),
                settings.GOVHALL_RATE_LOOKUP_PER_CODE_HOUR,
                HOUR,
                _("Too many look-ups of this booking code. Please try again later."),
            ),
        ],
        at=at,
    )
    if not normalized:
        return None
    found = (
        Appointment.objects.select_related("center", "group", "assigned_to")
        .filter(code=normalized)
        .first()
    )
    if found is None or not last4_matches(found, last4):
        return None
    return found


@transaction.atomic
def appointment_cancel(
    *,
    actor: User | None,
    appointment: Appointment,
    last4: str = "",
    reason: str = "",
    at: datetime.datetime | None = None,
) -> Appointment:
    """Cancel a booking or an off-hours request, by the applicant (with the last 4 characters
    of the ID number) or by the center's staff, up to CANCEL_HOURS hours before it starts."""
    now = at or timezone.now()
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if actor is None and not last4_matches(locked, last4):
        raise ValidationError(
            {"last4": [_("The last 4 characters of the ID number do not match.")]}
        )
    refusal = appointment_refusal(actor, locked, AppointmentAction.CANCEL, now)
    if refusal:
        raise refusal_error(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, AppointmentAction.CANCEL)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.cancelled_at = now
    locked.cancel_reason = (reason or "").strip()[:200]
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    slot_free_place(locked.slot_id)
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_CANCEL,
        obj=locked,
        center_id=locked.center_id,
        note=locked.cancel_reason,
        data={"by": "applicant" if actor is None else "staff"},
    )
    appointment_sms(
        locked,
        _("Your appointment %(code)s on %(when)s has been cancelled.")
        % {"code": locked.code, "when": appointment_when(locked)},
        "appointment.cancel",
    )
    return locked


# --- the kiosk -----------------------------------------------------------------------------


def appointment_check_in(
    *,
    actor: User | None,
    code: str,
    at: datetime.datetime | None = None,
    center: Center | None = None,
    device: str = "",
    client: str = "",
) -> Ticket:
    """Check in today's booked appointment by its code (kiosk or front desk) and issue its queue
    ticket with the appointment priority, in one transaction. A kiosk names its `center`: a
    code of another hall is unknown there, and its `device` (or `client` address): refused
    check-ins (wrong codes) are limited per device and hour (GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR,
    RateLimited), counted outside the check-in's transaction and given back on success."""
    hit = None
    if actor is None and (device or client):
        (hit,) = rate_limit(
            [
                RateRule(
                    rate_key("checkin.device", device or f"address:{client}"),
                    settings.GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR,
                    HOUR,
                    _("Too many wrong booking codes at this kiosk; please ask the guide."),
                )
            ],
            at=at,
        )
    ticket = _check_in(actor=actor, code=code, at=at, center=center)
    if hit is not None:
        rate_refund(hit)  # a check-in that succeeded is not a guess
    return ticket


@transaction.atomic
def _check_in(
    *,
    actor: User | None,
    code: str,
    at: datetime.datetime | None,
    center: Center | None,
) -> Ticket:
    now = at or timezone.now()
    normalized = normalize_code(code)
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("group", "center")
        .filter(code=normalized, **({"center": center} if center is not None else {}))
        .first()
        if normalized
        else None
    )
    if appointment is None:
        raise ValidationError({"code": [_("No appointment has this booking code.")]})
    refusal = appointment_refusal(actor, appointment, AppointmentAction.CHECK_IN, now)
    if refusal:
        raise refusal_error(refusal, field="code")
    row = APPOINTMENT_TRANSITIONS.row(appointment.status, AppointmentAction.CHECK_IN)
    assert row is not None and row.next_state is not None
    if not Appointment.objects.filter(pk=appointment.pk, status=row.state).update(
        status=row.next_state, checked_in_at=now
    ):
        raise Conflict({"code": [_("This appointment has already been checked in.")]})
    appointment.status = row.next_state
    appointment.checked_in_at = now
    ticket = ticket_take(
        group=appointment.group,
        actor=actor,
        priority=TicketPriority.APPOINTMENT,
        appointment=appointment,
        phone=appointment.phone,
        at=at,
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_CHECK_IN,
        obj=appointment,
        center_id=appointment.center_id,
        data={"ticket": ticket.number, "in_time": now <= appointment.ends_at},
    )
    return ticket
