"""The applicant of an appointment, shared by booking, off-hours requests and the outage's
re-booking: who may ask (the person, their standing, the channel), the public door's rate limits
and SMS code, the booking code, inserting the row, and telling the applicant by SMS.

Every check adds to the caller's `FieldErrors` (govhall.core.validation), so a refused request
names everything wrong at once and changes nothing. One appointment per person per day is also a
partial unique index, so a race there ends in the same clear refusal (`appointment_insert`).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core import idnumbers
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import DAY, HOUR, RateRule, local_day_offset, rate_key, rate_limit
from govhall.core.validation import Conflict, FieldErrors
from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup
from govhall.frontdesk.models.appointment import AppointmentChannel, PhoneCode
from govhall.frontdesk.services.phone_codes import phone_code_check, phone_code_consume
from govhall.frontdesk.services.standing import works_in
from govhall.org.models import Center

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Channels a citizen books through without signing in; staff book by phone or at the desk.
PUBLIC_CHANNELS = frozenset({AppointmentChannel.PORTAL, AppointmentChannel.API})
STAFF_CHANNELS = frozenset({AppointmentChannel.PHONE, AppointmentChannel.DESK})
NAME_MAX = Appointment._meta.get_field("name").max_length or 100
MATTER_MAX = Appointment._meta.get_field("matter").max_length or 200


# --- the booking code ------------------------------------------------------------------------


def new_code() -> str:
    """A booking code without look-alike characters (no I, O, 0, 1)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "").replace("-", "")


def last4_matches(appointment: Appointment, last4: str) -> bool:
    """The applicant's proof online: the last 4 characters of the ID number."""
    digits = idnumbers.normalize(last4)
    return len(digits) == 4 and appointment.id_number[-4:] == digits


# --- who may ask -------------------------------------------------------------------------------


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


def one_per_day_message(day: datetime.date) -> str:
    return _(
        "This ID number already has an appointment on %(date)s; one appointment per person per day."
    ) % {"date": day.isoformat()}


def check_group_open(errors: FieldErrors, group: ServiceGroup) -> None:
    """The group and its center take appointments (`group.center` loaded)."""
    if not group.is_active or not group.center.is_active:
        errors.add("group", _("This group takes no appointments."))


def check_channel(errors: FieldErrors, actor: User | None, center: Center, channel: str) -> None:
    """The public books online; staff book by phone or at the desk of their own center."""
    if (
        errors.choice(
            "channel", channel, AppointmentChannel.values, message=_("Choose a valid channel.")
        )
        is None
    ):
        return
    if actor is None and channel not in PUBLIC_CHANNELS:
        errors.add("channel", _("Phone and front-desk bookings are made by the hall's staff."))
    elif actor is not None and channel in STAFF_CHANNELS and not works_in(actor, center):
        errors.add("channel", _("You do not work in this center."))


def check_applicant(
    errors: FieldErrors,
    *,
    actor: User | None,
    name: object,
    id_number: str,
    phone: str,
    day: datetime.date,
    today: datetime.date,
    code_row: PhoneCode | None,
    code_errors: FieldErrors,
) -> str:
    """The applicant's refusals: name, ID number and phone (both normalised by the caller), the
    person's standing (one a day, the no-show block), and the phone code of a public request.
    Returns the name as stored."""
    name_text = errors.text("name", name, max_length=NAME_MAX, required=_("Enter the name."))
    id_error = idnumbers.id_number_error(id_number)
    if id_error:
        errors.add("id_number", id_error)
    phone_error = idnumbers.phone_error(phone)
    if phone_error:
        errors.add("phone", phone_error)
    if "id_number" not in errors:
        until = no_show_block_until(id_number, today)
        if until is not None:
            errors.add(
                "id_number",
                _(
                    "Booking is blocked until %(date)s: %(limit)d missed appointments within "
                    "%(days)d days."
                )
                % {
                    "date": until.isoformat(),
                    "limit": settings.GOVHALL_APPOINTMENT_NO_SHOW_LIMIT,
                    "days": settings.GOVHALL_APPOINTMENT_NO_SHOW_DAYS,
                },
            )
        elif Appointment.objects.holding().filter(id_number=id_number, date=day).exists():
            errors.conflict("id_number", one_per_day_message(day))
    # A public request never goes on without a checked code.
    errors.merge(code_errors)
    if actor is None and code_row is None and not errors:
        errors.add("phone_code", _("Enter the code sent by SMS to your phone."))
    return name_text


# --- the shared start and end of a booking or an off-hours request ----------------------------


@dataclass(frozen=True)
class ApplicantIntake:
    """What a booking and an off-hours request both start from: the moment, the group with its
    center reloaded, the ID number and phone normalised, and the one `FieldErrors` that already
    holds the channel's and the group's refusals. The caller adds its own time checks, then
    `intake_applicant` finishes."""

    actor: User | None
    now: datetime.datetime
    today: datetime.date
    group: ServiceGroup
    center: Center
    id_number: str
    phone: str
    errors: FieldErrors

    @property
    def booked_by(self) -> User | None:
        return self.actor if self.actor is not None and self.actor.is_authenticated else None


def intake_begin(
    *,
    actor: User | None,
    group: ServiceGroup,
    channel: str,
    id_number: str,
    phone: str,
    at: datetime.datetime | None,
) -> ApplicantIntake:
    now = at or timezone.now()
    group = ServiceGroup.objects.select_related("center").get(pk=group.pk)
    # Collect every refusal first, then apply.
    errors = FieldErrors()
    check_channel(errors, actor, group.center, channel)
    check_group_open(errors, group)
    return ApplicantIntake(
        actor=actor,
        now=now,
        today=timezone.localdate(now),
        group=group,
        center=group.center,
        id_number=idnumbers.normalize(id_number),
        phone=idnumbers.normalize(phone),
        errors=errors,
    )


def intake_applicant(
    intake: ApplicantIntake,
    *,
    name: object,
    matter: object,
    day: datetime.date,
    code_row: PhoneCode | None,
    code_errors: FieldErrors,
) -> tuple[str, str]:
    """The applicant's checks and the matter, then the one refusal of everything collected;
    when nothing is wrong, the public request's SMS code is used up. Returns (name, matter)."""
    errors = intake.errors
    name_text = check_applicant(
        errors,
        actor=intake.actor,
        name=name,
        id_number=intake.id_number,
        phone=intake.phone,
        day=day,
        today=intake.today,
        code_row=code_row,
        code_errors=code_errors,
    )
    matter_text = errors.text("matter", matter, max_length=MATTER_MAX)
    errors.raise_if_any()
    if code_row is not None:
        phone_code_consume(code_row, at=intake.now)
    return name_text, matter_text


# --- the public door: rate limits and the phone code -----------------------------------------


def public_door(
    *,
    door: str,
    per_address_hour: int,
    per_id_day: int,
    id_number: str,
    phone: str,
    client: str,
    phone_code: str,
    at: datetime.datetime | None,
) -> tuple[PhoneCode | None, FieldErrors]:
    """Before a public booking or off-hours request: count it per client address (per hour)
    and per ID number (per local day), then check the SMS code of the phone. Both run outside
    the request's transaction, so a refused attempt stays counted. Returns the checked code,
    or None and the code's refusal (reported with the request's other refusals)."""
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
    code_errors = FieldErrors()
    if idnumbers.phone_error(idnumbers.normalize(phone)):
        return None, code_errors  # the request refuses the phone itself; no code exists for it
    try:
        return phone_code_check(phone=phone, code=phone_code, at=now), code_errors
    except ValidationError as error:
        code_errors.merge(error)
        return None, code_errors


# --- the row and the SMS ---------------------------------------------------------------------


def appointment_insert(appointment: Appointment) -> Appointment:
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
                raise Conflict({"id_number": [one_per_day_message(appointment.date)]}) from None
    raise ValidationError(_("Could not make a booking code; please try again."))


def appointment_sms(appointment: Appointment, text: str, purpose: str) -> None:
    """Tell the applicant after commit: nothing is sent for a change that rolled back."""
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
