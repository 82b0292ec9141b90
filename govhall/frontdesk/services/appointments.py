"""Appointments (预约服务, SPEC §7; seeds/000… 篇1 六、预约服务制度): slots made on demand from the
center's service hours, booking, cancelling, off-hours requests that a manager assigns to a named
staff member (recorded as overtime, 篇1 (五)), check-in at the kiosk, no-shows, reminders, and the
hall cancelling a range of time on an outage with every applicant told and offered a new slot
(篇1 (六)3).

Capacity is a counter on the slot raised by a conditional UPDATE (… WHERE booked < capacity), so
concurrent bookings never overbook on either database; one appointment per person per day is
also a partial unique index, so a race there ends in a clear refusal too.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import (
    DAY,
    HOUR,
    RateRule,
    local_day_offset,
    rate_key,
    rate_limit,
    rate_refund,
)
from govhall.frontdesk.appointment_transitions import (
    APPOINTMENT_TRANSITIONS,
    ONE_BY_ONE,
    AppointmentAction,
    AppointmentParty,
)
from govhall.frontdesk.models import (
    Appointment,
    AppointmentStatus,
    ServiceGroup,
    Slot,
    Ticket,
    TicketPriority,
)
from govhall.frontdesk.models.appointment import (
    HOLDING_STATUSES,
    AppointmentChannel,
    PhoneCode,
)
from govhall.frontdesk.services.phone_codes import phone_code_check, phone_code_consume
from govhall.frontdesk.services.standing import manages, require_manager, works_in
from govhall.frontdesk.services.tickets import ticket_take
from govhall.org.models import Center, Staff
from govhall.workdays.calendar import CalendarRangeError
from govhall.workdays.queries import calendar_for

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Channels a citizen books through without signing in; staff book by phone or at the desk.
PUBLIC_CHANNELS = frozenset({AppointmentChannel.PORTAL, AppointmentChannel.API})
STAFF_CHANNELS = frozenset({AppointmentChannel.PHONE, AppointmentChannel.DESK})
# An outage cancels at most this many days at once (slots are made for every day of it).
OUTAGE_MAX_DAYS = 31


def new_code() -> str:
    """A booking code without look-alike characters (no I, O, 0, 1)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "").replace("-", "")


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, time), timezone.get_current_timezone()
    )


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _when(appointment: Appointment) -> str:
    return f"{appointment.date:%Y-%m-%d} {appointment.starts:%H:%M}–{appointment.ends:%H:%M}"


def _sms(appointment: Appointment, text: str, purpose: str) -> None:
    """Send after commit: nothing is sent for a change that rolled back."""
    to, center_id, pk = appointment.phone, appointment.center_id, appointment.pk

    def send() -> None:
        send_sms(
            to=to,
            text=text,
            purpose=purpose,
            center_id=center_id,
            obj=Appointment(pk=pk),
        )

    transaction.on_commit(send)


# --- slots ---------------------------------------------------------------------------------


def service_periods(center: Center) -> list[tuple[datetime.time, datetime.time]]:
    return [
        (center.morning_opens, center.morning_closes),
        (center.afternoon_opens, center.afternoon_closes),
    ]


def slot_times(center: Center, minutes: int) -> list[tuple[datetime.time, datetime.time]]:
    """The (start, end) of every whole slot of `minutes` within the center's service hours."""
    times: list[tuple[datetime.time, datetime.time]] = []
    step = datetime.timedelta(minutes=minutes)
    for opens, closes in service_periods(center):
        moment = datetime.datetime.combine(datetime.date(2000, 1, 1), opens)
        end = datetime.datetime.combine(datetime.date(2000, 1, 1), closes)
        while moment + step <= end:
            times.append((moment.time(), (moment + step).time()))
            moment += step
    return times


def overlaps_hours(center: Center, starts: datetime.time, ends: datetime.time) -> bool:
    """Some of [starts, ends) falls within the center's service hours."""
    return any(opens < ends and starts < closes for opens, closes in service_periods(center))


def is_workday(center_id: int, day: datetime.date) -> bool:
    try:
        return calendar_for(center_id).is_workday(day)
    except CalendarRangeError:
        return False


def slots_ensure(group: ServiceGroup, day: datetime.date) -> None:
    """Make the slots of `group` on `day` from its center's service hours, when it is a working
    day and they do not exist yet (idempotent; concurrent callers are harmless)."""
    if not is_workday(group.center_id, day):
        return
    if Slot.objects.filter(group=group, date=day).exists():
        return
    center = group.center
    Slot.objects.bulk_create(
        [
            Slot(
                group=group,
                date=day,
                starts=starts,
                ends=ends,
                capacity=group.slot_capacity,
            )
            for starts, ends in slot_times(center, group.slot_minutes)
        ],
        ignore_conflicts=True,
    )


def booking_window(center_id: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day that may be booked on `today`: from MIN_DAYS_AHEAD calendar days to
    MAX_WORKDAYS_AHEAD working days ahead."""
    first = today + datetime.timedelta(days=settings.GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD)
    try:
        last = calendar_for(center_id).add_workdays(
            today, settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD
        )
    except CalendarRangeError:
        last = today
    return first, last


def bookable_days(group: ServiceGroup, today: datetime.date) -> list[datetime.date]:
    """The working days a person may book in `group` on `today`."""
    first, last = booking_window(group.center_id, today)
    days = []
    day = first
    while day <= last:
        if is_workday(group.center_id, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# --- checks shared by booking and off-hours requests -----------------------------------------


def _person_errors(name: str, id_number: str, phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Enter the name.")]
    id_error = idnumbers.id_number_error(id_number)
    if id_error:
        errors["id_number"] = [id_error]
    phone_error = idnumbers.phone_error(phone)
    if phone_error:
        errors["phone"] = [phone_error]
    return errors


def no_show_block_until(id_number: str, today: datetime.date) -> datetime.date | None:
    """The last day booking is blocked for this person (NO_SHOW_LIMIT no-shows within
    NO_SHOW_DAYS days block for BLOCK_DAYS days after the last of them), or None."""
    limit = settings.GOVHALL_APPOINTMENT_NO_SHOW_LIMIT
    window = settings.GOVHALL_APPOINTMENT_NO_SHOW_DAYS
    block = settings.GOVHALL_APPOINTMENT_BLOCK_DAYS
    since = today - datetime.timedelta(days=window + block)
    # One person's recent no-shows: a handful of dates at most.
    dates = sorted(
        Appointment.objects.filter(
            id_number=id_number, status=AppointmentStatus.NO_SHOW, date__gte=since
        ).values_list("date", flat=True)
    )
    until: datetime.date | None = None
    for index in range(limit - 1, len(dates)):
        last = dates[index]
        if (last - dates[index - limit + 1]).days < window:
            end = last + datetime.timedelta(days=block)
            if today <= end:
                until = end
    return until


def _person_refusal(
    id_number: str, day: datetime.date, today: datetime.date
) -> dict[str, list[str]]:
    until = no_show_block_until(id_number, today)
    if until is not None:
        return {
            "id_number": [
                _(
                    "Booking is blocked until %(date)s: %(limit)d missed appointments within "
                    "%(days)d days."
                )
                % {
                    "date": until.isoformat(),
                    "limit": settings.GOVHALL_APPOINTMENT_NO_SHOW_LIMIT,
                    "days": settings.GOVHALL_APPOINTMENT_NO_SHOW_DAYS,
                }
            ]
        }
    if Appointment.objects.holding().filter(id_number=id_number, date=day).exists():
        return {"id_number": [_one_per_day_message(day)]}
    return {}


def _one_per_day_message(day: datetime.date) -> str:
    return _(
        "This ID number already has an appointment on %(date)s; one appointment per person per day."
    ) % {"date": day.isoformat()}


def _channel_errors(actor: User | None, center: Center, channel: str) -> dict[str, list[str]]:
    if channel not in AppointmentChannel.values:
        return {"channel": [_("Choose a valid channel.")]}
    if actor is None and channel not in PUBLIC_CHANNELS:
        return {"channel": [_("Phone and front-desk bookings are made by the hall's staff.")]}
    if actor is not None and channel in STAFF_CHANNELS and not works_in(actor, center):
        return {"channel": [_("You do not work in this center.")]}
    return {}


def _create(appointment: Appointment) -> Appointment:
    """Insert with a fresh code; a person's second appointment of the day is refused."""
    for _attempt in range(5):
        appointment.code = new_code()
        try:
            with transaction.atomic():
                appointment.save(force_insert=True)
            return appointment
        except IntegrityError:
            appointment.pk = None
            if (
                Appointment.objects.holding()
                .filter(id_number=appointment.id_number, date=appointment.date)
                .exists()
            ):
                raise ValidationError(
                    {"id_number": [_one_per_day_message(appointment.date)]}
                ) from None
    raise ValidationError(_("Could not make a booking code; please try again."))


def _take_place(slot_id: int) -> bool:
    """The conditional UPDATE that never overbooks: False when the slot is full or closed."""
    return bool(
        Slot.objects.filter(pk=slot_id, booked__lt=F("capacity"), closed_reason="").update(
            booked=F("booked") + 1
        )
    )


def _free_place(slot_id: int | None) -> None:
    if slot_id is not None:
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


# --- the public doors: rate limits and the phone code ----------------------------------------


def _public_door(
    *,
    door: str,
    per_address_hour: int,
    per_id_day: int,
    id_number: str,
    phone: str,
    client: str,
    phone_code: str,
    at: datetime.datetime | None,
) -> tuple[PhoneCode | None, dict[str, list[str]]]:
    """Before a public booking or off-hours request: count it per client address (per hour)
    and per ID number (per local day), then check the SMS code of the phone. Both run outside
    the booking's transaction, so a refused attempt stays counted. Returns the checked code,
    or None and the code's refusal (reported with the booking's other refusals)."""
    now = at or timezone.now()
    rate_limit(
        [
            RateRule(
                rate_key(f"{door}.address", client or "unknown"),
                per_address_hour,
                HOUR,
                _("Too many booking attempts from your network. Please try again later."),
            ),
            RateRule(
                rate_key(f"{door}.id", idnumbers.normalize(id_number)),
                per_id_day,
                DAY,
                _(
                    "Too many booking attempts with this ID number today. Please try again "
                    "tomorrow, or ask at the hall."
                ),
                local_day_offset(now),
            ),
        ],
        at=now,
    )
    if idnumbers.phone_error(idnumbers.normalize(phone)):
        return None, {}  # the booking refuses the phone itself; no code can exist for it
    try:
        return phone_code_check(phone=phone, code=phone_code, at=now), {}
    except ValidationError as error:
        return None, error.message_dict


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


def _add_code_errors(
    errors: dict[str, list[str]],
    actor: User | None,
    code_row: PhoneCode | None,
    code_errors: dict[str, list[str]],
) -> None:
    """The phone code's refusal among the booking's; a public booking never goes on without a
    checked code."""
    for key, messages in code_errors.items():
        errors.setdefault(key, []).extend(messages)
    if actor is None and code_row is None and not errors:
        errors["phone_code"] = [_("Enter the code sent by SMS to your phone.")]


def _applicant_errors(
    errors: dict[str, list[str]],
    actor: User | None,
    name: str,
    id_number: str,
    phone: str,
    date: datetime.date,
    today: datetime.date,
    code_row: PhoneCode | None,
    code_errors: dict[str, list[str]],
) -> None:
    """Add the applicant's refusals to `errors`: name, ID number and phone, the person's standing
    (one a day, the no-show block), and the phone code of a public request."""
    for key, messages in _person_errors(name, id_number, phone).items():
        errors.setdefault(key, []).extend(messages)
    if "id_number" not in errors:
        for key, messages in _person_refusal(id_number, date, today).items():
            errors.setdefault(key, []).extend(messages)
    _add_code_errors(errors, actor, code_row, code_errors)


# --- booking -------------------------------------------------------------------------------


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
) -> Appointment:
    """Book a place in the slot of `group` starting at `starts` on `date`. `actor` is None on
    the portal and the public API (then `client` is the caller's address, the attempt is
    rate-limited, and `phone_code` must be the SMS code of `phone`: RateLimited or
    ValidationError otherwise); staff book phone calls (channel phone) and at the desk."""
    code_row: PhoneCode | None = None
    code_errors: dict[str, list[str]] = {}
    if actor is None:
        code_row, code_errors = _public_door(
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
    )


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
    code_errors: dict[str, list[str]],
) -> Appointment:
    now = at or timezone.now()
    today = timezone.localdate(now)
    group = ServiceGroup.objects.select_related("center").get(pk=group.pk)
    center = group.center
    name, id_number = (name or "").strip(), idnumbers.normalize(id_number)
    phone = idnumbers.normalize(phone)
    errors = _channel_errors(actor, center, channel)
    if not group.is_active or not center.is_active:
        errors.setdefault("group", []).append(_("This group takes no appointments."))
    first, last = booking_window(center.pk, today)
    slot: Slot | None = None
    if date < first:
        errors.setdefault("date", []).append(
            _("Appointments are made from %(first)s on (at least %(days)d day ahead).")
            % {"first": first.isoformat(), "days": settings.GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD}
        )
    elif date > last:
        errors.setdefault("date", []).append(
            _("Appointments are made up to %(days)d working days ahead, until %(last)s.")
            % {"days": settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD, "last": last.isoformat()}
        )
    elif not is_workday(center.pk, date):
        errors.setdefault("date", []).append(
            _("%(date)s is not a working day; ask for an off-hours appointment instead.")
            % {"date": date.isoformat()}
        )
    else:
        slots_ensure(group, date)
        slot = Slot.objects.filter(group=group, date=date, starts=starts).first()
        if slot is None:
            errors.setdefault("starts", []).append(
                _(
                    "No appointment slot starts at %(time)s; outside service hours, ask for "
                    "an off-hours appointment."
                )
                % {"time": starts.strftime("%H:%M")}
            )
        elif slot.closed_reason:
            errors.setdefault("starts", []).append(
                _("This slot is closed: %(reason)s") % {"reason": slot.closed_reason}
            )
    _applicant_errors(errors, actor, name, id_number, phone, date, today, code_row, code_errors)
    if errors:
        raise ValidationError(errors)
    assert slot is not None
    if code_row is not None:
        phone_code_consume(code_row, at=now)
    if not _take_place(slot.pk):
        raise ValidationError(
            {"starts": [_("This slot is fully booked; please choose another time.")]}
        )
    appointment = _create(
        Appointment(
            center=center,
            group=group,
            slot=slot,
            date=date,
            starts=slot.starts,
            ends=slot.ends,
            name=name[:100],
            id_number=id_number,
            phone=phone,
            matter=(matter or "").strip()[:200],
            channel=channel,
            status=AppointmentStatus.BOOKED,
            booked_by=actor if actor is not None and actor.is_authenticated else None,
        )
    )
    record_event(
        actor=actor,
        action="appointment.book",
        obj=appointment,
        center_id=center.pk,
        data={"group": group.letter, "slot": slot.pk, "channel": channel},
    )
    _sms(
        appointment,
        _(
            "Your appointment at %(center)s (%(group)s) on %(when)s is booked. Booking code "
            "%(code)s: enter it at the ticket kiosk when you arrive."
        )
        % {
            "center": center.name,
            "group": group.name,
            "when": _when(appointment),
            "code": appointment.code,
        },
        "appointment.book",
    )
    return appointment


# --- the state machine (govhall/frontdesk/appointment_transitions.py) ------------------------


class AppointmentViewer:
    """What `user` is to appointments (the parties of the appointment table); `None` is the
    public (the applicant, holding the code). Whether the user works in or manages a center is
    read once per center, so a list asks once per center, not once per row."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self._standing: dict[int, frozenset[str]] = {}

    def parties(self, appointment: Appointment) -> frozenset[str]:
        user = self.user
        if user is None:
            return frozenset({AppointmentParty.APPLICANT.value})
        center_id = appointment.center_id
        if center_id not in self._standing:
            center = Center(pk=center_id)
            standing: set[str] = set()
            if works_in(user, center):
                standing.add(AppointmentParty.STAFF.value)
            if manages(user, center):
                standing.add(AppointmentParty.MANAGER.value)
            self._standing[center_id] = frozenset(standing)
        parties = self._standing[center_id]
        if appointment.assigned_to_id is not None and appointment.assigned_to_id == user.pk:
            parties = parties | {AppointmentParty.ASSIGNED.value}
        return parties


def _status_label(appointment: Appointment) -> str:
    return str(AppointmentStatus(appointment.status).label)


def _served_by_hand() -> str:
    return _(
        "Only an approved off-hours appointment is marked served here; others are served "
        "through their queue ticket."
    )


def _state_refusal(appointment: Appointment, action: str) -> str:
    status = appointment.status
    if action == AppointmentAction.CHECK_IN:
        if status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.SERVED):
            return _("This appointment has already been checked in.")
        if status in (AppointmentStatus.CANCELLED, AppointmentStatus.REJECTED):
            return _("This appointment was cancelled.")
        if status == AppointmentStatus.NO_SHOW:
            return _("The time of this appointment has passed; it was marked as a no-show.")
        return _("This appointment has not been approved yet.")
    if action in (AppointmentAction.APPROVE, AppointmentAction.DECLINE):
        return _("This request has already been decided (%(status)s).") % {
            "status": _status_label(appointment)
        }
    if action == AppointmentAction.SERVE:
        return _served_by_hand()
    return _("This appointment is %(status)s; it cannot be cancelled.") % {
        "status": _status_label(appointment)
    }


def _who_refusal(action: str) -> str:
    if action in (AppointmentAction.CANCEL, AppointmentAction.CHECK_IN):
        return _("You do not work in this center.")
    return _("Only the hall's management may do this.")


def _guard_before_deadline(appointment: Appointment, now: datetime.datetime) -> str:
    hours = settings.GOVHALL_APPOINTMENT_CANCEL_HOURS
    deadline = appointment.starts_at - datetime.timedelta(hours=hours)
    if now > deadline:
        return _(
            "An appointment can be cancelled up to %(hours)d hours before it starts "
            "(until %(deadline)s)."
        ) % {"hours": hours, "deadline": _fmt(deadline)}
    return ""


def _guard_checks_in_today(appointment: Appointment, now: datetime.datetime) -> str:
    if appointment.date != timezone.localdate(now):
        return _("This appointment is for %(date)s, not today.") % {
            "date": appointment.date.isoformat()
        }
    early_minutes = settings.GOVHALL_APPOINTMENT_CHECKIN_EARLY_MINUTES
    opens = appointment.starts_at - datetime.timedelta(minutes=early_minutes)
    if now < opens:
        return _("Check-in opens at %(time)s, %(minutes)d minutes before your appointment.") % {
            "time": timezone.localtime(opens).strftime("%H:%M"),
            "minutes": early_minutes,
        }
    return ""


def _guard_off_hours(appointment: Appointment, now: datetime.datetime) -> str:
    return "" if appointment.is_off_hours else _served_by_hand()


def _guard_in_hours_ended(appointment: Appointment, now: datetime.datetime) -> str:
    if appointment.is_off_hours or appointment.ends_at > now:
        return _("This appointment is not over yet.")
    return ""


APPOINTMENT_GUARDS = {
    "before_deadline": _guard_before_deadline,
    "checks_in_today": _guard_checks_in_today,
    "off_hours": _guard_off_hours,
    "in_hours_ended": _guard_in_hours_ended,
}
# Refused for the status first, then for who asks (the messages say what matters most).
_STATE_FIRST = frozenset({AppointmentAction.SERVE.value, AppointmentAction.CHECK_IN.value})


def appointment_refusal(
    actor: User | None,
    appointment: Appointment,
    action: str,
    now: datetime.datetime | None = None,
    *,
    viewer: AppointmentViewer | None = None,
) -> str | None:
    """Why `actor` (None: the public) may not take `action` on `appointment` now (the transition
    table, its parties and guards), or None when allowed. The applicant's proof (the last 4
    characters of the ID number) is checked by the service itself."""
    moment = now or timezone.now()
    row = APPOINTMENT_TRANSITIONS.row(appointment.status, action)
    state_first = action in _STATE_FIRST
    if state_first and row is None:
        return _state_refusal(appointment, action)
    if state_first and row is not None and row.guard == "off_hours":
        refusal = _guard_off_hours(appointment, moment)
        if refusal:
            return refusal
    parties = (viewer or AppointmentViewer(actor)).parties(appointment)
    if not parties & APPOINTMENT_TRANSITIONS.who_may(action):
        return _who_refusal(action)
    if row is None:
        return _state_refusal(appointment, action)
    if not parties & row.who:
        return _who_refusal(action)
    if row.guard:
        return APPOINTMENT_GUARDS[row.guard](appointment, moment) or None
    return None


def appointment_actions(
    user: User | None,
    appointment: Appointment,
    at: datetime.datetime | None = None,
    *,
    viewer: AppointmentViewer | None = None,
) -> list[Transition]:
    """The rows of the appointment table `user` may take on `appointment` alone now (the
    buttons of the appointment pages and the API's `actions`): exactly what the services
    accept."""
    moment = at or timezone.now()
    viewer = viewer or AppointmentViewer(user)
    return [
        row
        for row in APPOINTMENT_TRANSITIONS.rows_from(appointment.status)
        if row.action in ONE_BY_ONE
        and appointment_refusal(user, appointment, row.action, moment, viewer=viewer) is None
    ]


def last4_matches(appointment: Appointment, last4: str) -> bool:
    digits = idnumbers.normalize(last4)
    return len(digits) == 4 and appointment.id_number[-4:] == digits


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
        raise ValidationError(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, AppointmentAction.CANCEL)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.cancelled_at = now
    locked.cancel_reason = (reason or "").strip()[:200]
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _free_place(locked.slot_id)
    record_event(
        actor=actor,
        action="appointment.cancel",
        obj=locked,
        center_id=locked.center_id,
        note=locked.cancel_reason,
        data={"by": "applicant" if actor is None else "staff"},
    )
    _sms(
        locked,
        _("Your appointment %(code)s on %(when)s has been cancelled.")
        % {"code": locked.code, "when": _when(locked)},
        "appointment.cancel",
    )
    return locked


# --- off-hours requests --------------------------------------------------------------------


def _add_minutes(time: datetime.time, minutes: int) -> datetime.time | None:
    moment = datetime.datetime.combine(datetime.date(2000, 1, 1), time)
    later = moment + datetime.timedelta(minutes=minutes)
    return later.time() if later.date() == moment.date() else None


def appointment_request_off_hours(
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
) -> Appointment:
    """Ask to be served before or after hours or on a non-working day (seeds/000… 篇1 (六)1–2):
    a request that a manager approves and assigns to a named staff member. From the public
    (`actor` None) rate-limited per `client` address and ID number, and `phone_code` must be
    the SMS code of `phone`, as for a booking."""
    code_row: PhoneCode | None = None
    code_errors: dict[str, list[str]] = {}
    if actor is None:
        code_row, code_errors = _public_door(
            door="off_hours",
            per_address_hour=settings.GOVHALL_RATE_OFF_HOURS_PER_ADDRESS_HOUR,
            per_id_day=settings.GOVHALL_RATE_OFF_HOURS_PER_ID_DAY,
            id_number=id_number,
            phone=phone,
            client=client,
            phone_code=phone_code,
            at=at,
        )
    return _request_off_hours(
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
    )


@transaction.atomic
def _request_off_hours(
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
    code_errors: dict[str, list[str]],
) -> Appointment:
    now = at or timezone.now()
    today = timezone.localdate(now)
    group = ServiceGroup.objects.select_related("center").get(pk=group.pk)
    center = group.center
    name, id_number = (name or "").strip(), idnumbers.normalize(id_number)
    phone = idnumbers.normalize(phone)
    errors = _channel_errors(actor, center, channel)
    if not group.is_active or not center.is_active:
        errors.setdefault("group", []).append(_("This group takes no appointments."))
    minutes = settings.GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES
    ends = _add_minutes(starts, minutes)
    _first, last = booking_window(center.pk, today)
    starts_at = local_moment(date, starts)
    if starts_at <= now:
        errors.setdefault("date", []).append(_("Choose a time in the future."))
    elif date > last:
        errors.setdefault("date", []).append(
            _("Appointments are made up to %(days)d working days ahead, until %(last)s.")
            % {"days": settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD, "last": last.isoformat()}
        )
    elif ends is None:
        errors.setdefault("starts", []).append(_("The appointment must end on the same day."))
    elif is_workday(center.pk, date) and overlaps_hours(center, starts, ends):
        errors.setdefault("starts", []).append(
            _("%(time)s is within service hours (%(hours)s); please book a slot instead.")
            % {
                "time": starts.strftime("%H:%M"),
                "hours": " / ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in service_periods(center)),
            }
        )
    _applicant_errors(errors, actor, name, id_number, phone, date, today, code_row, code_errors)
    if errors:
        raise ValidationError(errors)
    assert ends is not None
    if code_row is not None:
        phone_code_consume(code_row, at=now)
    appointment = _create(
        Appointment(
            center=center,
            group=group,
            slot=None,
            date=date,
            starts=starts,
            ends=ends,
            name=name[:100],
            id_number=id_number,
            phone=phone,
            matter=(matter or "").strip()[:200],
            channel=channel,
            status=AppointmentStatus.REQUESTED,
            is_off_hours=True,
            booked_by=actor if actor is not None and actor.is_authenticated else None,
        )
    )
    record_event(
        actor=actor,
        action="appointment.request",
        obj=appointment,
        center_id=center.pk,
        data={"group": group.letter, "channel": channel},
    )
    _sms(
        appointment,
        _(
            "Your off-hours appointment request %(code)s for %(when)s at %(center)s was "
            "received; you will get an SMS when it is decided."
        )
        % {"code": appointment.code, "when": _when(appointment), "center": center.name},
        "appointment.request",
    )
    return appointment


@transaction.atomic
def appointment_decide(
    *,
    actor: User,
    appointment: Appointment,
    approve: bool,
    assigned_to: User | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Appointment:
    """A manager approves an off-hours request and names the staff member who serves it (the
    time is recorded as that person's overtime), or declines it with a note."""
    now = at or timezone.now()
    locked = Appointment.objects.select_for_update().select_related("center").get(pk=appointment.pk)
    action = AppointmentAction.APPROVE if approve else AppointmentAction.DECLINE
    refusal = appointment_refusal(actor, locked, action, now)
    if refusal:
        raise ValidationError(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    note = (note or "").strip()
    if approve:
        if assigned_to is None:
            raise ValidationError(
                {"assigned_to": [_("Name the staff member who serves this appointment.")]}
            )
        if not Staff.objects.filter(
            user=assigned_to, center_id=locked.center_id, user__is_active=True
        ).exists():
            raise ValidationError(
                {"assigned_to": [_("The staff member must work in this center.")]}
            )
        locked.status = row.next_state
        locked.assigned_to = assigned_to
        locked.overtime_minutes = settings.GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES
        text = _(
            "Your off-hours appointment %(code)s on %(when)s at %(center)s is approved; "
            "%(staff)s will serve you."
        ) % {
            "code": locked.code,
            "when": _when(locked),
            "center": locked.center.name,
            "staff": assigned_to.display_name,
        }
    else:
        if not note:
            raise ValidationError({"note": [_("Say why the request is declined.")]})
        locked.status = row.next_state
        text = _(
            "Your off-hours appointment request %(code)s for %(when)s was declined: %(note)s"
        ) % {"code": locked.code, "when": _when(locked), "note": note}
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = note[:2000]
    locked.save()
    record_event(
        actor=actor,
        action="appointment.approve" if approve else "appointment.reject",
        obj=locked,
        center_id=locked.center_id,
        note=note[:2000],
        data={
            "assigned_to": getattr(assigned_to, "pk", None) if approve else None,
            "overtime_minutes": locked.overtime_minutes,
        },
    )
    _sms(locked, text, "appointment.decide")
    return locked


@transaction.atomic
def appointment_mark_served(
    *, actor: User, appointment: Appointment, at: datetime.datetime | None = None
) -> Appointment:
    """The named staff member (or a manager) records that an approved off-hours appointment was
    served (it has no queue ticket)."""
    now = at or timezone.now()
    locked = Appointment.objects.select_for_update().select_related("center").get(pk=appointment.pk)
    refusal = appointment_refusal(actor, locked, AppointmentAction.SERVE, now)
    if refusal:
        raise ValidationError(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, AppointmentAction.SERVE)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.checked_in_at = locked.checked_in_at or now
    locked.served_at = now
    locked.save(update_fields=["status", "checked_in_at", "served_at"])
    record_event(actor=actor, action="appointment.serve", obj=locked, center_id=locked.center_id)
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
        raise ValidationError({"code": [refusal]})
    row = APPOINTMENT_TRANSITIONS.row(appointment.status, AppointmentAction.CHECK_IN)
    assert row is not None and row.next_state is not None
    if not Appointment.objects.filter(pk=appointment.pk, status=row.state).update(
        status=row.next_state, checked_in_at=now
    ):
        raise ValidationError({"code": [_("This appointment has already been checked in.")]})
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
        action="appointment.check_in",
        obj=appointment,
        center_id=appointment.center_id,
        data={"ticket": ticket.number, "in_time": now <= appointment.ends_at},
    )
    return ticket


# --- periodic work (the worker) --------------------------------------------------------------


def appointments_mark_no_shows(*, at: datetime.datetime | None = None) -> int:
    """Booked in-hours appointments whose slot has ended without a check-in become no-shows.
    Approved off-hours appointments are closed by their named staff member instead."""
    now = at or timezone.now()
    marked = 0
    # The rows of the table the worker takes (the guard `in_hours_ended` as a filter).
    states = APPOINTMENT_TRANSITIONS.states_for(AppointmentAction.NO_SHOW)
    (row,) = [APPOINTMENT_TRANSITIONS.row(state, AppointmentAction.NO_SHOW) for state in states]
    assert row is not None and row.next_state is not None
    due = Appointment.objects.filter(
        status=row.state, is_off_hours=False, ends_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due[:5000]):
        with transaction.atomic():
            if not Appointment.objects.filter(pk=pk, status=row.state).update(
                status=row.next_state
            ):
                continue
            appointment = Appointment.objects.get(pk=pk)
            record_event(
                actor=None,
                action="appointment.no_show",
                obj=appointment,
                center_id=appointment.center_id,
            )
            marked += 1
    return marked


def appointments_send_reminders(*, at: datetime.datetime | None = None) -> int:
    """SMS once (reminded_at) on the working day before an appointment, from the center's
    morning opening on."""
    now = at or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    sent = 0
    center_ids = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED, reminded_at__isnull=True, date__gt=today
        )
        .values_list("center_id", flat=True)
        .distinct()
    )
    for center in Center.objects.filter(pk__in=list(center_ids)):
        if not is_workday(center.pk, today) or local.time() < center.morning_opens:
            continue
        try:
            next_workday = calendar_for(center.pk).add_workdays(today, 1)
        except CalendarRangeError:
            continue
        due = Appointment.objects.filter(
            center=center,
            status=AppointmentStatus.BOOKED,
            reminded_at__isnull=True,
            date__gt=today,
            date__lte=next_workday,
        ).select_related("group")
        for appointment in due[:5000]:
            with transaction.atomic():
                if not Appointment.objects.filter(
                    pk=appointment.pk, reminded_at__isnull=True
                ).update(reminded_at=now):
                    continue
                _sms(
                    appointment,
                    _(
                        "Reminder: your appointment at %(center)s (%(group)s) is on %(when)s. "
                        "Booking code %(code)s."
                    )
                    % {
                        "center": center.name,
                        "group": appointment.group.name,
                        "when": _when(appointment),
                        "code": appointment.code,
                    },
                    "appointment.remind",
                )
                sent += 1
    return sent


# --- outage ---------------------------------------------------------------------------------


@dataclass
class OutageResult:
    slots_closed: int = 0
    cancelled: int = 0
    rebooked: list[Appointment] = field(default_factory=list)
    not_rebooked: list[Appointment] = field(default_factory=list)


def outage_slots_filter(start: datetime.datetime, end: datetime.datetime) -> Q:
    """Slots overlapping [start, end) (local dates and times)."""
    first, last = timezone.localtime(start), timezone.localtime(end)
    if first.date() == last.date():
        return Q(date=first.date(), ends__gt=first.time(), starts__lt=last.time())
    return (
        Q(date=first.date(), ends__gt=first.time())
        | Q(date__gt=first.date(), date__lt=last.date())
        | Q(date=last.date(), starts__lt=last.time())
    )


def outage_affected(center: Center, start: datetime.datetime, end: datetime.datetime) -> Q:
    """Appointments of `center` an outage of [start, end) cancels."""
    return Q(
        center=center,
        status__in=APPOINTMENT_TRANSITIONS.states_for(AppointmentAction.OUTAGE_CANCEL),
        starts_at__lt=end,
        ends_at__gt=start,
    )


def outage_validate(
    center: Center, start: datetime.datetime, end: datetime.datetime, reason: str
) -> None:
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the hall is closed (applicants are told).")]
    if end <= start:
        errors["end"] = [_("The end must be after the start.")]
    elif (end - start).days >= OUTAGE_MAX_DAYS:
        errors["end"] = [
            _("An outage is cancelled at most %(days)d days at a time.") % {"days": OUTAGE_MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)


def _rebook(old: Appointment, after: datetime.datetime) -> Appointment | None:
    """The first free slot of the same group on the next working days after the outage ends
    (the day it ends not counted: the hall needs the time to restart)."""
    group = old.group
    last_day = timezone.localdate(after)
    for offset in range(1, settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD + 1):
        try:
            day = calendar_for(group.center_id).add_workdays(last_day, offset)
        except CalendarRangeError:
            return None
        if Appointment.objects.holding().filter(id_number=old.id_number, date=day).exists():
            continue
        slots_ensure(group, day)
        candidates = Slot.objects.filter(
            group=group, date=day, closed_reason="", booked__lt=F("capacity")
        ).order_by("starts")
        for slot in candidates:
            if not _take_place(slot.pk):
                continue  # taken meanwhile
            try:
                with transaction.atomic():
                    return _create(
                        Appointment(
                            center_id=old.center_id,
                            group=group,
                            slot=slot,
                            date=day,
                            starts=slot.starts,
                            ends=slot.ends,
                            name=old.name,
                            id_number=old.id_number,
                            phone=old.phone,
                            matter=old.matter,
                            channel=old.channel,
                            status=AppointmentStatus.BOOKED,
                            booked_by=old.booked_by,
                            rescheduled_from=old,
                        )
                    )
            except ValidationError:
                _free_place(slot.pk)
                break  # the person got another appointment that day meanwhile
    return None


@transaction.atomic
def appointments_cancel_range(
    *,
    actor: User,
    center: Center,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str,
    at: datetime.datetime | None = None,
) -> OutageResult:
    """The hall must close from `start` to `end` (power cut, network outage, 篇1 (六)3): close
    the slots, cancel every affected appointment (not counted against the applicant), book each
    one the first free slot of its group afterwards, and tell everyone by SMS."""
    require_manager(actor, center)
    now = at or timezone.now()
    reason = (reason or "").strip()[:200]
    outage_validate(center, start, end, reason)
    result = OutageResult()
    groups = list(ServiceGroup.objects.filter(center=center).select_related("center"))
    day = timezone.localdate(start)
    while day <= timezone.localdate(end):
        for group in groups:
            if group.is_active:
                slots_ensure(group, day)
        day += datetime.timedelta(days=1)
    result.slots_closed = Slot.objects.filter(
        outage_slots_filter(start, end), group__center=center, closed_reason=""
    ).update(closed_reason=reason)
    affected = list(
        Appointment.objects.select_for_update()
        .filter(outage_affected(center, start, end))
        .select_related("group", "center")
        .order_by("starts_at", "id")
    )
    resumes = _fmt(end)
    contact = center.phone
    for old in affected:
        was_booked = old.status == AppointmentStatus.BOOKED
        row = APPOINTMENT_TRANSITIONS.row(old.status, AppointmentAction.OUTAGE_CANCEL)
        assert row is not None and row.next_state is not None
        old.status = row.next_state
        old.cancelled_at = now
        old.cancel_reason = reason
        old.cancelled_by_hall = True
        old.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by_hall"])
        _free_place(old.slot_id)
        record_event(
            actor=actor,
            action="appointment.cancel",
            obj=old,
            center_id=center.pk,
            note=reason,
            data={"by": "hall"},
        )
        result.cancelled += 1
        new = _rebook(old, end) if was_booked and not old.is_off_hours else None
        if new is not None:
            result.rebooked.append(new)
            record_event(
                actor=actor,
                action="appointment.book",
                obj=new,
                center_id=center.pk,
                data={"rescheduled_from": old.pk, "slot": new.slot_id, "channel": new.channel},
            )
            text = _(
                "%(center)s is closed (%(reason)s): your appointment on %(old)s is cancelled. "
                "Service resumes %(resumes)s. We booked you %(new)s instead, code %(code)s; to "
                "change it, cancel it with this code on the online hall and book again%(call)s."
            ) % {
                "center": center.name,
                "reason": reason,
                "old": _when(old),
                "resumes": resumes,
                "new": _when(new),
                "code": new.code,
                "call": _(" or call %(phone)s") % {"phone": contact} if contact else "",
            }
        else:
            result.not_rebooked.append(old)
            text = _(
                "%(center)s is closed (%(reason)s): your appointment on %(old)s is cancelled. "
                "Service resumes %(resumes)s. No free slot was found in the next days; please "
                "book again on the online hall%(call)s."
            ) % {
                "center": center.name,
                "reason": reason,
                "old": _when(old),
                "resumes": resumes,
                "call": _(" or call %(phone)s") % {"phone": contact} if contact else "",
            }
        _sms(old, text, "appointment.outage")
    record_event(
        actor=actor,
        action="appointment.cancel_range",
        obj=center,
        center_id=center.pk,
        note=reason,
        data={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "slots_closed": result.slots_closed,
            "cancelled": result.cancelled,
            "rebooked": len(result.rebooked),
        },
    )
    return result


__all__ = [
    "HOLDING_STATUSES",
    "OutageResult",
    "appointment_actions",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_decide",
    "appointment_lookup_public",
    "appointment_mark_served",
    "appointment_refusal",
    "appointment_request_off_hours",
    "appointments_cancel_range",
    "appointments_mark_no_shows",
    "appointments_send_reminders",
    "bookable_days",
    "slots_ensure",
]
