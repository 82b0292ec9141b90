"""Off-hours appointments (seeds/000… 篇1 (六)1–2): a request to be served before or after hours
or on a non-working day, which a manager approves and assigns to a named staff member (the time
is recorded as that person's overtime, 篇1 (五)) or declines; the named staff member marks it
served, since it has no queue ticket.

The applicant's checks and the public door are those of a booking (appointment_applicants.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, refusal_error
from govhall.frontdesk.appointment_transitions import APPOINTMENT_TRANSITIONS, AppointmentAction
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup
from govhall.frontdesk.models.appointment import PhoneCode
from govhall.frontdesk.services.appointment_applicants import (
    appointment_insert,
    appointment_sms,
    intake_applicant,
    intake_begin,
    public_door,
)
from govhall.frontdesk.services.appointment_rules import appointment_refusal
from govhall.frontdesk.services.appointment_slots import (
    appointment_when,
    booking_window,
    is_known_workday,
    local_moment,
    overlaps_hours,
    service_periods,
)
from govhall.org.models import Staff

# The longest decision note kept (the applicant reads it in an SMS when declined).
DECISION_NOTE_MAX = 2000


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
    code_errors = FieldErrors()
    if actor is None:
        code_row, code_errors = public_door(
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
    code_errors: FieldErrors,
) -> Appointment:
    intake = intake_begin(
        actor=actor, group=group, channel=channel, id_number=id_number, phone=phone, at=at
    )
    group, center, now, errors = intake.group, intake.center, intake.now, intake.errors
    ends = _add_minutes(starts, settings.GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES)
    _first, last = booking_window(center.pk, intake.today)
    if local_moment(date, starts) <= now:
        errors.add("date", _("Choose a time in the future."))
    elif date > last:
        errors.add(
            "date",
            _("Appointments are made up to %(days)d working days ahead, until %(last)s.")
            % {"days": settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD, "last": last.isoformat()},
        )
    elif ends is None:
        errors.add("starts", _("The appointment must end on the same day."))
    elif is_known_workday(center.pk, date) and overlaps_hours(center, starts, ends):
        errors.add(
            "starts",
            _("%(time)s is within service hours (%(hours)s); please book a slot instead.")
            % {
                "time": starts.strftime("%H:%M"),
                "hours": " / ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in service_periods(center)),
            },
        )
    name, matter = intake_applicant(
        intake, name=name, matter=matter, day=date, code_row=code_row, code_errors=code_errors
    )
    assert ends is not None
    appointment = appointment_insert(
        Appointment(
            center=center,
            group=group,
            slot=None,
            date=date,
            starts=starts,
            ends=ends,
            name=name,
            id_number=intake.id_number,
            phone=intake.phone,
            matter=matter,
            channel=channel,
            status=AppointmentStatus.REQUESTED,
            is_off_hours=True,
            booked_by=intake.booked_by,
        )
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_REQUEST,
        obj=appointment,
        center_id=center.pk,
        data={"group": group.letter, "channel": channel},
    )
    appointment_sms(
        appointment,
        _(
            "Your off-hours appointment request %(code)s for %(when)s at %(center)s was "
            "received; you will get an SMS when it is decided."
        )
        % {"code": appointment.code, "when": appointment_when(appointment), "center": center.name},
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
        raise refusal_error(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    # Collect every refusal first, then apply.
    errors = FieldErrors()
    note = errors.text(
        "note",
        note,
        max_length=DECISION_NOTE_MAX,
        required="" if approve else _("Say why the request is declined."),
    )
    if approve:
        if assigned_to is None:
            errors.add("assigned_to", _("Name the staff member who serves this appointment."))
        elif not Staff.objects.filter(
            user=assigned_to, center_id=locked.center_id, user__is_active=True
        ).exists():
            errors.add("assigned_to", _("The staff member must work in this center."))
    errors.raise_if_any()
    locked.status = row.next_state
    if approve:
        assert assigned_to is not None
        locked.assigned_to = assigned_to
        locked.overtime_minutes = settings.GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES
        text = _(
            "Your off-hours appointment %(code)s on %(when)s at %(center)s is approved; "
            "%(staff)s will serve you."
        ) % {
            "code": locked.code,
            "when": appointment_when(locked),
            "center": locked.center.name,
            "staff": assigned_to.display_name,
        }
    else:
        text = _(
            "Your off-hours appointment request %(code)s for %(when)s was declined: %(note)s"
        ) % {"code": locked.code, "when": appointment_when(locked), "note": note}
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = note
    locked.save()
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_APPROVE
        if approve
        else FrontdeskEvent.APPOINTMENT_DECLINE,
        obj=locked,
        center_id=locked.center_id,
        note=note,
        data={
            "assigned_to": getattr(assigned_to, "pk", None) if approve else None,
            "overtime_minutes": locked.overtime_minutes,
        },
    )
    appointment_sms(locked, text, "appointment.decide")
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
        raise refusal_error(refusal)
    row = APPOINTMENT_TRANSITIONS.row(locked.status, AppointmentAction.SERVE)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.checked_in_at = locked.checked_in_at or now
    locked.served_at = now
    locked.save(update_fields=["status", "checked_in_at", "served_at"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_SERVE,
        obj=locked,
        center_id=locked.center_id,
    )
    return locked
