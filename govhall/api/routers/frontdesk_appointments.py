"""Appointments API (预约服务, SPEC §7; seeds/000… 篇1 六).

Public (no login), for the online hall and other systems: the bookable days and slots of a
group (with free places), booking (channel `api` or `portal`), asking for an off-hours
appointment, and looking up or cancelling one by its booking code with the last 4 characters
of the ID number. A group is named by its center's code and its letter (`330100`, `A`).

Staff (a bearer token of a department system or a signed-in session): the list with filters,
one appointment, deciding an off-hours request, an outage (preview, then cancel a time range),
checking in at the front desk, and the two target rates. Objects are fetched through
`govhall.frontdesk.access.appointments`: outside the caller's scope answers 404.

The public doors are rate-limited per client address (REMOTE_ADDR) and per identity (ID number,
phone, booking code; GOVHALL_RATE_* settings): over a limit they answer 429 with Retry-After.
A public booking or off-hours request needs `phone_code`, the 6-digit code sent by SMS to the
phone by `POST /public/phone-code`; without a valid one it is refused and holds no place.

Errors follow the API's one policy (`govhall/api/schemas.py`): a refused request → 422 with
the fields; missing or forbidden → 404; over a rate limit → 429.

Lists and every other answer carry the ID and phone numbers masked; only
`GET /{id}` returns them in full, and each such call records a personal-data view event.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of the
# paginated list view in the pagination module's namespace.
import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.routers.frontdesk_queue import item_of
from govhall.api.routers.progress import client_address
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    ErrorOut,
    Id,
    Label,
    Line,
    LongName,
    Pagination,
    PersonOut,
    Search,
    field_refusal,
    rate_limited,
    service_refusal,
)
from govhall.core.models import User
from govhall.core.ratelimit import RateLimited
from govhall.frontdesk.access.appointments import (
    access_appointment,
    access_appointment_group,
    appointments_in_scope,
    bookable_group,
    can_declare_outage,
    can_read_appointments,
    can_write_appointments,
)
from govhall.frontdesk.appointment_transitions import AppointmentAction
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.queries.appointments import (
    appointment_list,
    appointment_rates,
    free_by_day,
    outage_preview,
    slot_board,
)
from govhall.frontdesk.services.appointment_booking import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_lookup_public,
)
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_outage import appointments_cancel_range, outage_validate
from govhall.frontdesk.services.appointment_privacy import appointment_personal_data_view_record
from govhall.frontdesk.services.appointment_rules import appointment_actions
from govhall.frontdesk.services.appointment_slots import bookable_days
from govhall.frontdesk.services.phone_codes import phone_code_send
from govhall.org.access.lookups import access_center

router = Router(auth=SESSION_OR_TOKEN)
RATES_DAYS_MAX = 366


# --- schemas ------------------------------------------------------------------------------------


REFUSALS: dict[int, Any] = {404: ErrorOut, **SERVICE_REFUSALS}
# The public doors also answer 429 (rate limited, with Retry-After).
PUBLIC_REFUSALS: dict[int, Any] = {**REFUSALS, 429: ErrorOut}


class AppointmentDayOut(Schema):
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
    center: Code = Field(..., description="Center code")
    group: Code = Field(..., description="Group letter (A, B, …)")
    date: datetime.date
    starts: datetime.time = Field(..., description="Start of the slot, e.g. 09:00")
    name: LongName
    id_number: Code = Field(..., description="Resident ID number (18 characters)")
    phone: Code = Field(..., description="Mobile phone: the code and reminders come by SMS")
    phone_code: Code = Field(
        "",
        description="The 6-digit code sent by SMS to `phone` (POST /public/phone-code): "
        "without a valid one the booking is refused and holds no place",
    )
    matter: Label = ""
    item: Id | None = Field(
        None,
        description="Optional: the item the applicant comes for, one the group serves (422 "
        "otherwise); its name is the matter when none is given",
    )
    channel: Literal["api", "portal"] = "api"


class OffHoursIn(BookIn):
    starts: datetime.time = Field(
        ..., description="Requested start before/after hours or on a non-working day"
    )


class PhoneCodeIn(Schema):
    phone: Code = Field(..., description="Mobile phone to confirm")


class PhoneCodeOut(Schema):
    detail: str = Field(..., description="What was sent, for the applicant")
    valid_minutes: int = Field(..., description="The code is valid this many minutes")


class CodeIn(Schema):
    code: Code
    last4: Code = Field(..., description="Last 4 characters of the applicant's ID number")


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
    phone: str = Field(..., description="Masked: 138****5678")
    matter: str
    item_id: int | None = Field(None, description="The item the applicant comes for")
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

    @staticmethod
    def resolve_phone(obj: Appointment) -> str:
        return obj.masked_phone


class AppointmentDetailOut(AppointmentOut):
    """One appointment with the full ID and phone numbers (the call is logged)."""

    id_number: str = Field(..., description="In full (this read is logged)")
    phone: str = Field(..., description="In full (this read is logged)")

    @staticmethod
    def resolve_id_number(obj: Appointment) -> str:
        return obj.id_number

    @staticmethod
    def resolve_phone(obj: Appointment) -> str:
        return obj.phone


class DecideIn(Schema):
    approve: bool
    assigned_to: Id | None = Field(None, description="User id of the staff member who serves")
    note: Line = Field("", description="Needed to decline; told to the applicant")


class OutageIn(Schema):
    center_id: Id
    start: datetime.datetime
    end: datetime.datetime = Field(..., description="When service resumes")
    reason: Label = Field(..., description="Told to every applicant by SMS")
    preview: bool = Field(False, description="Only count the affected appointments")


class OutageOut(Schema):
    preview: bool
    affected: int = Field(..., description="Appointments the range cancels")
    slots_closed: int = 0
    cancelled: int = 0
    rebooked: int = 0
    not_rebooked: int = 0


class CheckInIn(Schema):
    code: Code


class CheckInOut(Schema):
    number: str = Field(..., description="Queue ticket number, e.g. A012")
    token: str = Field(..., description="For the public ticket page /ticket/<token>/")
    group: str
    appointment_code: str


class AppointmentRatesOut(Schema):
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
    return service_refusal(error)


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
    response={200: list[AppointmentDayOut], 404: ErrorOut},
    summary="Bookable days of a group with their free places (public)",
    description="From GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD day to "
    "GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD working days ahead; working days only.",
)
def public_days(request: HttpRequest, center: Code, letter: Code) -> Any:
    group = bookable_group(center, letter)
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
    center: Code,
    letter: Code,
    date: datetime.date,
) -> Any:
    group = bookable_group(center, letter)
    if date not in bookable_days(group, timezone.localdate()):
        message = _("%(date)s cannot be booked now; see the bookable days.") % {
            "date": date.isoformat()
        }
        return field_refusal("date", message)
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
    "/public/phone-code",
    auth=None,
    response={202: PhoneCodeOut, 422: ErrorOut, 429: ErrorOut},
    summary="Send a 6-digit code by SMS to a phone, to confirm it for a booking (public)",
    description="The code is valid GOVHALL_PHONE_CODE_MINUTES minutes and allows "
    "GOVHALL_PHONE_CODE_MAX_TRIES tries; the latest code of a phone is the one that counts. "
    "Limited per phone (GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR) and per client address "
    "(GOVHALL_RATE_PHONE_CODE_PER_ADDRESS_HOUR): 429 with Retry-After.",
)
def public_phone_code(request: HttpRequest, response: HttpResponse, payload: PhoneCodeIn) -> Any:
    try:
        phone_code_send(phone=payload.phone, client=client_address(request))
    except ValidationError as error:
        return _refused(error)
    except RateLimited as limited:
        return rate_limited(response, limited)
    minutes = settings.GOVHALL_PHONE_CODE_MINUTES
    return Status(
        202,
        {
            "detail": _("A code was sent by SMS; it is valid for %(minutes)d minutes.")
            % {"minutes": minutes},
            "valid_minutes": minutes,
        },
    )


@router.post(
    "/public/book",
    auth=None,
    response={201: PublicAppointmentOut, **PUBLIC_REFUSALS},
    summary="Book a slot (public; the booking code comes back and by SMS)",
    description="Needs `phone_code`, the SMS code of `phone` (POST /public/phone-code). "
    "Refused with the reason (422): a missing, wrong or expired code, outside the booking "
    "window, not a working day, no such slot, slot full or closed, invalid ID number or "
    "phone, the person already has an appointment that day, or booking blocked after repeated "
    "no-shows. 429 with Retry-After: too many attempts from the address "
    "(GOVHALL_RATE_BOOKING_PER_ADDRESS_HOUR) or with the ID number "
    "(GOVHALL_RATE_BOOKING_PER_ID_DAY).",
)
def public_book(request: HttpRequest, response: HttpResponse, payload: BookIn) -> Any:
    group = bookable_group(payload.center, payload.group)
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
            client=client_address(request),
            phone_code=payload.phone_code,
            item=item_of(payload.item),
        )
    except ValidationError as error:
        return _refused(error)
    except RateLimited as limited:
        return rate_limited(response, limited)
    return Status(201, _public(_fresh(appointment)))


@router.post(
    "/public/off-hours",
    auth=None,
    response={201: PublicAppointmentOut, **PUBLIC_REFUSALS},
    summary="Ask for an off-hours appointment (public; a manager decides, SMS either way)",
    description="Needs `phone_code` like a booking. 429 with Retry-After: too many requests "
    "from the address (GOVHALL_RATE_OFF_HOURS_PER_ADDRESS_HOUR) or with the ID number "
    "(GOVHALL_RATE_OFF_HOURS_PER_ID_DAY).",
)
def public_off_hours(request: HttpRequest, response: HttpResponse, payload: OffHoursIn) -> Any:
    group = bookable_group(payload.center, payload.group)
    try:
        item = item_of(payload.item)
        if item is not None and not group.items.filter(pk=item.pk, is_active=True).exists():
            raise ValidationError(
                {"item": [_("%(group)s does not serve this item.") % {"group": str(group)}]}
            )
        appointment = appointment_request_off_hours(
            actor=None,
            group=group,
            date=payload.date,
            starts=payload.starts,
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            matter=payload.matter or (item.name if item is not None else ""),
            channel=payload.channel,
            client=client_address(request),
            phone_code=payload.phone_code,
        )
    except ValidationError as error:
        return _refused(error)
    except RateLimited as limited:
        return rate_limited(response, limited)
    return Status(201, _public(_fresh(appointment)))


def _by_code(request: HttpRequest, code: str, last4: str) -> Appointment:
    """The appointment (404 when the code and the characters do not match); RateLimited."""
    found = appointment_lookup_public(code=code, last4=last4, client=client_address(request))
    if found is None:
        raise Http404
    return found


LOOKUP_LIMITS = (
    " 429 with Retry-After: too many look-ups from the address "
    "(GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR) or of the code (GOVHALL_RATE_LOOKUP_PER_CODE_HOUR)."
)


@router.get(
    "/public/lookup",
    auth=None,
    response={200: PublicAppointmentOut, 404: ErrorOut, 429: ErrorOut},
    summary="My appointment by booking code and the last 4 characters of the ID number",
    description="404 when the code and the characters do not match." + LOOKUP_LIMITS,
)
def public_lookup(
    request: HttpRequest,
    response: HttpResponse,
    code: Code = Query(..., description="Booking code"),
    last4: Code = Query(..., description="Last 4 characters of the ID number"),
) -> Any:
    try:
        return _public(_by_code(request, code, last4))
    except RateLimited as limited:
        return rate_limited(response, limited)


@router.post(
    "/public/cancel",
    auth=None,
    response={200: PublicAppointmentOut, **PUBLIC_REFUSALS},
    summary="Cancel my appointment (up to GOVHALL_APPOINTMENT_CANCEL_HOURS hours before)",
    description="Counted as a look-up of the code." + LOOKUP_LIMITS,
)
def public_cancel(request: HttpRequest, response: HttpResponse, payload: CodeIn) -> Any:
    try:
        appointment = _by_code(request, payload.code, payload.last4)
    except RateLimited as limited:
        return rate_limited(response, limited)
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
@paginate(Pagination)
def appointments(
    request: HttpRequest,
    group: Id | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: Code = "",
    off_hours: bool | None = None,
    q: Search = "",
) -> Any:
    if not can_read_appointments(request.user):
        raise Http404
    return appointment_list(
        appointments_in_scope(request.user),
        group=access_appointment_group(request.user, group) if group is not None else None,
        first=date_from,
        last=date_to,
        status=status,
        off_hours=off_hours,
        search=q,
    )


@router.get(
    "/rates",
    response={200: AppointmentRatesOut, 422: ErrorOut},
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
        return field_refusal(
            "last", _("Choose a period of at most %(days)d days.") % {"days": RATES_DAYS_MAX}
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
    if not can_declare_outage(request.user):
        raise Http404  # not the caller's operation: like missing (the error policy)
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


@router.get(
    "/{int:appointment_id}",
    response={200: AppointmentDetailOut, 404: ErrorOut},
    summary="One appointment with the full ID and phone numbers (the view is logged)",
)
def appointment_detail(
    request: HttpRequest,
    appointment_id: int,
    purpose: str = Query("", max_length=300, description="Why the numbers are read (logged)"),
) -> Any:
    appointment = access_appointment(request.user, appointment_id)
    appointment_personal_data_view_record(
        actor=_user(request),
        appointment=appointment,
        purpose=purpose.strip() or _("Appointment read through the API"),
    )
    return appointment


class AppointmentActionOut(Schema):
    action: str = Field(
        ...,
        description="approve/decline: POST /{id}/decide; cancel: POST /{id}/cancel; "
        "serve: the workbench",
    )
    label: str


class AppointmentActionsOut(Schema):
    id: int
    status: str
    actions: list[AppointmentActionOut] = Field(
        ..., description="What the caller may do now (the appointment state machine)"
    )


@router.get(
    "/{int:appointment_id}/actions",
    response={200: AppointmentActionsOut, 404: ErrorOut},
    summary="What I may do with an appointment now (decide, cancel, mark served)",
)
def actions(request: HttpRequest, appointment_id: int) -> Any:
    appointment = access_appointment(request.user, appointment_id)
    return {
        "id": appointment.pk,
        "status": appointment.status,
        "actions": [
            {"action": row.action, "label": str(AppointmentAction(row.action).label)}
            for row in appointment_actions(_user(request), appointment)
        ],
    }


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
        return field_refusal("assigned_to", message)
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
