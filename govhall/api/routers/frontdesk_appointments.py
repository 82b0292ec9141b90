"""Appointments API (预约服务, SPEC §7; seeds/000… 篇1 六).

Public (no login), for the online hall and other systems: the bookable days and slots of a
group (with free places), booking (channel `api` or `portal`), asking for an off-hours
appointment, and looking up or cancelling one by its booking code with the last 4 characters
of the ID number. A group is named by its center's code and its letter (`330100`, `A`).

Staff (a bearer token of a department system or a signed-in session): the list with filters,
one appointment, deciding an off-hours request, an outage (preview, then cancel a time range),
checking in at the front desk, and the two target rates. Objects are fetched through
`govhall.frontdesk.access.appointments`: outside the caller's scope answers 404.

Errors: a refused request → 400 `{"detail": "...", "errors": {field: [...]}}`; missing or
forbidden → 404. The ID number is never returned in full.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of the
# paginated list view in the pagination module's namespace.
import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.core.models import User
from govhall.frontdesk.access.appointments import (
    access_appointment,
    access_group,
    appointments_in_scope,
    can_read_appointments,
    can_write_appointments,
    public_group,
)
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.queries.appointments import (
    appointment_list,
    appointment_lookup,
    appointment_rates,
    free_by_day,
    outage_preview,
    slot_board,
)
from govhall.frontdesk.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_decide,
    appointment_request_off_hours,
    appointments_cancel_range,
    bookable_days,
    outage_validate,
)
from govhall.org.access import access_center

router = Router(auth=SESSION_OR_TOKEN)
RATES_DAYS_MAX = 366


# --- schemas ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(..., description="Why the request was refused, in the user's language")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field, when the refusal concerns particular fields"
    )


REFUSALS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut}


class DayOut(Schema):
    date: datetime.date
    free: int = Field(..., description="Free places over the day's open slots")


class SlotOut(Schema):
    starts: datetime.time
    ends: datetime.time
    capacity: int
    booked: int
    free: int = Field(..., description="0 when full or closed")
    closed_reason: str = Field(..., description="Why the hall closed the slot (outage), or ''")


class PublicAppointmentOut(Schema):
    code: str = Field(..., description="Booking code: typed at the kiosk to check in")
    center: str = Field(..., description="Center name")
    center_code: str
    group: str = Field(..., description="Group letter and name, e.g. 'A 市场监管'")
    date: datetime.date
    starts: datetime.time
    ends: datetime.time
    status: str = Field(
        ...,
        description="requested, booked, checked_in, served, no_show, cancelled, rejected",
    )
    status_label: str
    is_off_hours: bool
    name: str = Field(..., description="The applicant's name, masked (张*丰)")
    cancelled_by_hall: bool = Field(..., description="Cancelled by the hall on an outage")
    rescheduled_code: str | None = Field(
        None, description="After an outage: the code of the new appointment booked instead"
    )


class BookIn(Schema):
    center: str = Field(..., description="Center code")
    group: str = Field(..., description="Group letter (A, B, …)")
    date: datetime.date
    starts: datetime.time = Field(..., description="Start of the slot, e.g. 09:00")
    name: str
    id_number: str = Field(..., description="Resident ID number (18 characters)")
    phone: str = Field(..., description="Mobile phone: the code and reminders come by SMS")
    matter: str = ""
    channel: Literal["api", "portal"] = "api"


class OffHoursIn(BookIn):
    starts: datetime.time = Field(
        ..., description="Requested start before/after hours or on a non-working day"
    )


class CodeIn(Schema):
    code: str
    last4: str = Field(..., description="Last 4 characters of the applicant's ID number")


class PersonOut(Schema):
    id: int
    username: str
    name: str = Field(..., alias="display_name")


class AppointmentOut(Schema):
    id: int
    code: str
    center_id: int
    group_id: int
    group: str
    date: datetime.date
    starts: datetime.time
    ends: datetime.time
    status: str
    channel: str
    is_off_hours: bool
    name: str
    id_number: str = Field(..., description="Masked: first 4 and last 4 characters")
    phone: str
    matter: str
    assigned_to: PersonOut | None
    overtime_minutes: int
    decision_note: str
    checked_in_at: datetime.datetime | None
    served_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    cancelled_by_hall: bool
    rescheduled_from_id: int | None

    @staticmethod
    def resolve_group(obj: Appointment) -> str:
        return f"{obj.group.letter} {obj.group.name}"

    @staticmethod
    def resolve_id_number(obj: Appointment) -> str:
        return obj.masked_id


class DecideIn(Schema):
    approve: bool
    assigned_to: int | None = Field(None, description="User id of the staff member who serves")
    note: str = Field("", description="Needed to decline; told to the applicant")


class OutageIn(Schema):
    center_id: int
    start: datetime.datetime
    end: datetime.datetime = Field(..., description="When service resumes")
    reason: str = Field(..., description="Told to every applicant by SMS")
    preview: bool = Field(False, description="Only count the affected appointments")


class OutageOut(Schema):
    preview: bool
    affected: int = Field(..., description="Appointments the range cancels")
    slots_closed: int = 0
    cancelled: int = 0
    rebooked: int = 0
    not_rebooked: int = 0


class CheckInIn(Schema):
    code: str


class CheckInOut(Schema):
    number: str = Field(..., description="Queue ticket number, e.g. A012")
    token: str = Field(..., description="For the public ticket page /ticket/<token>/")
    group: str
    appointment_code: str


class RatesOut(Schema):
    first: datetime.date
    last: datetime.date
    total: int = Field(..., description="Appointments and off-hours requests in the period")
    taken: int = Field(..., description="Bookings, and off-hours requests a manager decided")
    taken_rate: float | None = Field(..., description="Requests taken, % (target 100)")
    due: int = Field(..., description="Appointments that came due (checked in or no-show)")
    on_time: int = Field(..., description="Checked in before the slot ended and served")
    on_time_rate: float | None = Field(..., description="Served on time, % (target 100)")
    no_show: int
    cancelled: int
    off_hours: int
    overtime_minutes: int


# --- helpers ------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    body: dict[str, Any] = {"detail": " ".join(str(m) for m in error.messages)}
    if hasattr(error, "error_dict"):
        body["errors"] = {key: list(messages) for key, messages in error.message_dict.items()}
    return Status(400, body)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _public(appointment: Appointment) -> dict[str, Any]:
    rescheduled = Appointment.objects.filter(rescheduled_from=appointment).first()
    return {
        "code": appointment.code,
        "center": appointment.center.name,
        "center_code": appointment.center.code,
        "group": f"{appointment.group.letter} {appointment.group.name}",
        "date": appointment.date,
        "starts": appointment.starts,
        "ends": appointment.ends,
        "status": appointment.status,
        "status_label": str(AppointmentStatus(appointment.status).label),
        "is_off_hours": appointment.is_off_hours,
        "name": appointment.masked_name,
        "cancelled_by_hall": appointment.cancelled_by_hall,
        "rescheduled_code": rescheduled.code if rescheduled else None,
    }


def _fresh(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_related("center", "group", "assigned_to").get(
        pk=appointment.pk
    )


# --- public -------------------------------------------------------------------------------------


@router.get(
    "/public/{center}/{letter}/days",
    auth=None,
    response={200: list[DayOut], 404: ErrorOut},
    summary="Bookable days of a group with their free places (public)",
    description="From GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD day to "
    "GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD working days ahead; working days only.",
)
def public_days(request: HttpRequest, center: str, letter: str) -> Any:
    group = public_group(center, letter)
    days = bookable_days(group, timezone.localdate())
    free = free_by_day(group, days)
    return [{"date": day, "free": free[day]} for day in days]


@router.get(
    "/public/{center}/{letter}/slots",
    auth=None,
    response={200: list[SlotOut], **REFUSALS},
    summary="Slots of a group on one bookable day with their free places (public)",
)
def public_slots(
    request: HttpRequest,
    center: str,
    letter: str,
    date: datetime.date,
) -> Any:
    group = public_group(center, letter)
    if date not in bookable_days(group, timezone.localdate()):
        message = _("%(date)s cannot be booked now; see the bookable days.") % {
            "date": date.isoformat()
        }
        return Status(400, {"detail": message, "errors": {"date": [message]}})
    return [
        {
            "starts": slot.starts,
            "ends": slot.ends,
            "capacity": slot.capacity,
            "booked": slot.booked,
            "free": slot.free,
            "closed_reason": slot.closed_reason,
        }
        for slot in slot_board(group, [date])[date]
    ]


@router.post(
    "/public/book",
    auth=None,
    response={201: PublicAppointmentOut, **REFUSALS},
    summary="Book a slot (public; the booking code comes back and by SMS)",
    description="Refused with the reason (400): outside the booking window, not a working "
    "day, no such slot, slot full or closed, invalid ID number or phone, the person already "
    "has an appointment that day, or booking blocked after repeated no-shows.",
)
def public_book(request: HttpRequest, payload: BookIn) -> Any:
    group = public_group(payload.center, payload.group)
    try:
        appointment = appointment_book(
            actor=None,
            group=group,
            date=payload.date,
            starts=payload.starts,
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            matter=payload.matter,
            channel=payload.channel,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _public(_fresh(appointment)))


@router.post(
    "/public/off-hours",
    auth=None,
    response={201: PublicAppointmentOut, **REFUSALS},
    summary="Ask for an off-hours appointment (public; a manager decides, SMS either way)",
)
def public_off_hours(request: HttpRequest, payload: OffHoursIn) -> Any:
    group = public_group(payload.center, payload.group)
    try:
        appointment = appointment_request_off_hours(
            actor=None,
            group=group,
            date=payload.date,
            starts=payload.starts,
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            matter=payload.matter,
            channel=payload.channel,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _public(_fresh(appointment)))


def _by_code(code: str, last4: str) -> Appointment:
    found = appointment_lookup(code, last4)
    if found is None:
        raise Http404
    return found


@router.get(
    "/public/lookup",
    auth=None,
    response={200: PublicAppointmentOut, 404: ErrorOut},
    summary="My appointment by booking code and the last 4 characters of the ID number",
)
def public_lookup(
    request: HttpRequest,
    code: str = Query(..., description="Booking code"),
    last4: str = Query(..., description="Last 4 characters of the ID number"),
) -> Any:
    return _public(_by_code(code, last4))


@router.post(
    "/public/cancel",
    auth=None,
    response={200: PublicAppointmentOut, **REFUSALS},
    summary="Cancel my appointment (up to GOVHALL_APPOINTMENT_CANCEL_HOURS hours before)",
)
def public_cancel(request: HttpRequest, payload: CodeIn) -> Any:
    appointment = _by_code(payload.code, payload.last4)
    try:
        appointment_cancel(actor=None, appointment=appointment, last4=payload.last4)
    except ValidationError as error:
        return _refused(error)
    return _public(_fresh(appointment))


# --- staff --------------------------------------------------------------------------------------


@router.get(
    "/",
    response=list[AppointmentOut],
    summary="Appointments in my scope, soonest first (filters: group, dates, status)",
)
@paginate(LimitOffsetPagination)
def appointments(
    request: HttpRequest,
    group: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
    off_hours: bool | None = None,
    q: str = "",
) -> Any:
    if not can_read_appointments(request.user):
        raise Http404
    return appointment_list(
        appointments_in_scope(request.user),
        group=access_group(request.user, group) if group is not None else None,
        first=date_from,
        last=date_to,
        status=status,
        off_hours=off_hours,
        search=q,
    )


@router.get(
    "/rates",
    response={200: RatesOut, 400: ErrorOut},
    summary="Requests taken and served on time",
    description="Over appointments dated from `first` to `last` (YYYY-MM-DD, at most 366 days).",
)
def rates(
    request: HttpRequest,
    first: datetime.date,
    last: datetime.date,
) -> Any:
    if not can_read_appointments(request.user):
        raise Http404
    if last < first or (last - first).days > RATES_DAYS_MAX:
        return Status(
            400,
            {"detail": _("Choose a period of at most %(days)d days.") % {"days": RATES_DAYS_MAX}},
        )
    figures = appointment_rates(appointments_in_scope(request.user), first, last)
    return {
        "first": first,
        "last": last,
        "total": figures.total,
        "taken": figures.taken,
        "taken_rate": figures.taken_rate,
        "due": figures.due,
        "on_time": figures.on_time,
        "on_time_rate": figures.on_time_rate,
        "no_show": figures.no_show,
        "cancelled": figures.cancelled,
        "off_hours": figures.off_hours,
        "overtime_minutes": figures.overtime_minutes,
    }


@router.post(
    "/check-in",
    response={201: CheckInOut, **REFUSALS},
    summary="Check in today's appointment by its code at the front desk (priority ticket)",
)
def check_in(request: HttpRequest, payload: CheckInIn) -> Any:
    if not can_write_appointments(request.user):
        raise Http404
    try:
        ticket = appointment_check_in(actor=_user(request), code=payload.code)
    except ValidationError as error:
        return _refused(error)
    return Status(
        201,
        {
            "number": ticket.number,
            "token": ticket.token,
            "group": f"{ticket.group.letter} {ticket.group.name}",
            "appointment_code": ticket.appointment.code if ticket.appointment else "",
        },
    )


@router.post(
    "/outage",
    response={200: OutageOut, **REFUSALS},
    summary="Outage: preview, or close a time range and cancel, rebook and tell (managers)",
    description="Every booked appointment overlapping [start, end) is cancelled (not counted "
    "against the applicant), booked into the first free slot of its group on the next "
    "working days, and told by SMS with the old and the new time and when service resumes.",
)
def outage(request: HttpRequest, payload: OutageIn) -> Any:
    center = access_center(request.user, payload.center_id)
    start, end = _aware(payload.start), _aware(payload.end)
    try:
        if payload.preview:
            outage_validate(center, start, end, payload.reason.strip())
            return {"preview": True, "affected": outage_preview(center, start, end)["total"]}
        result = appointments_cancel_range(
            actor=_user(request), center=center, start=start, end=end, reason=payload.reason
        )
    except ValidationError as error:
        return _refused(error)
    return {
        "preview": False,
        "affected": result.cancelled,
        "slots_closed": result.slots_closed,
        "cancelled": result.cancelled,
        "rebooked": len(result.rebooked),
        "not_rebooked": len(result.not_rebooked),
    }


@router.get("/{int:appointment_id}", response=AppointmentOut, summary="One appointment")
def appointment_detail(request: HttpRequest, appointment_id: int) -> Any:
    return access_appointment(request.user, appointment_id)


@router.post(
    "/{int:appointment_id}/decide",
    response={200: AppointmentOut, **REFUSALS},
    summary="Approve an off-hours request naming who serves it, or decline it (managers)",
)
def decide(request: HttpRequest, appointment_id: int, payload: DecideIn) -> Any:
    appointment = access_appointment(request.user, appointment_id)
    assigned = (
        User.objects.filter(pk=payload.assigned_to, staff__center=appointment.center_id).first()
        if payload.assigned_to is not None
        else None
    )
    if payload.assigned_to is not None and assigned is None:
        message = _("The staff member must work in this center.")
        return Status(400, {"detail": message, "errors": {"assigned_to": [message]}})
    try:
        decided = appointment_decide(
            actor=_user(request),
            appointment=appointment,
            approve=payload.approve,
            assigned_to=assigned,
            note=payload.note,
        )
    except ValidationError as error:
        return _refused(error)
    return _fresh(decided)


@router.post(
    "/{int:appointment_id}/cancel",
    response={200: AppointmentOut, **REFUSALS},
    summary="Cancel an appointment for the applicant (staff of the center)",
)
def cancel(request: HttpRequest, appointment_id: int) -> Any:
    appointment = access_appointment(request.user, appointment_id, for_write=True)
    try:
        appointment_cancel(actor=_user(request), appointment=appointment)
    except ValidationError as error:
        return _refused(error)
    return _fresh(appointment)
