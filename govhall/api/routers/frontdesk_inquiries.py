"""First-inquiry API (首问负责制, SPEC §7): the scoped list, one inquiry, logging a contact, the
receiving department taking a transfer on (签收) and finishing it, my follow-ups, transfers to
my department, and the rates per staff, window and department for a day, week or month.

Auth: a bearer token of a department system or a signed-in staff session. An inquiry outside
the caller's scope answers 404, like a missing one, and so does an operation the caller's role
does not have. Errors follow the API's one policy (`govhall/api/schemas.py`): bad input or a
refused action answers 422 `{"detail": "...", "errors": {field: [...]}}` with the service's
messages; nothing changes.
Contact phone numbers are masked in lists; the detail shows the full number and logs the view.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of paginated
# views in the pagination module's namespace (see routers/cases.py).
import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    ErrorOut,
    Id,
    Name,
    Pagination,
    PersonOut,
    Text,
    field_refusal,
    service_refusal,
)
from govhall.catalog.models import ServiceItem
from govhall.core.idnumbers import mask_phone
from govhall.core.models import User
from govhall.frontdesk.access.inquiries import (
    access_inquiry,
    can_log_inquiries,
    can_read_inquiry_rates,
    can_receive_inquiries,
)
from govhall.frontdesk.inquiry_transitions import InquiryAction
from govhall.frontdesk.models import Inquiry
from govhall.frontdesk.queries.inquiries import (
    FINISHED_TARGET,
    LIST_RELATED,
    InquiryFilters,
    RateRow,
    due_on,
    follow_ups,
    inquiry_list,
    period_of,
    rates_for,
    transfers_to_me,
)
from govhall.frontdesk.services.inquiries import (
    inquiry_acknowledge,
    inquiry_actions,
    inquiry_contact_view_record,
    inquiry_finish,
    inquiry_log,
)
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.models import Center, Department, Window

router = Router(auth=SESSION_OR_TOKEN)


class InquiryOut(Schema):
    id: int
    center_id: int
    channel: str = Field(..., description="visit, phone, fax or web")
    matter: str
    item_id: int | None
    contact_name: str
    contact_phone: str = Field(..., description="Masked (138****5678) in lists")
    first_responder: PersonOut
    window_id: int | None = Field(None, description="Where the first responder served")
    window_number: int | None = None
    outcome: str = Field(..., description="answered, guided, transferred or outside")
    answer: str = Field(..., description="The answer, or the explanation for outside matters")
    guided_window_id: int | None
    guided_window_number: int | None = None
    transferred_department_id: int | None
    transferred_department_name: str | None = None
    transferred_contact: str = Field(..., description="The named person who takes it on")
    status: str = Field(..., description="open (a transfer being followed up) or done")
    received_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    acknowledged_by: PersonOut | None
    done_at: datetime.datetime | None
    done_by: PersonOut | None
    result: str
    overdue: bool = Field(
        False,
        description="An open transfer older than GOVHALL_INQUIRY_FOLLOW_UP_DAYS working days "
        "(in the follow-up and transfer lists)",
    )
    due_on: datetime.date | None = Field(
        None, description="Last working day before an open transfer counts as overdue"
    )

    @staticmethod
    def resolve_contact_phone(obj: Inquiry) -> str:
        return mask_phone(obj.contact_phone) if obj.contact_phone else ""

    @staticmethod
    def resolve_window_number(obj: Inquiry) -> int | None:
        return obj.window.number if obj.window else None

    @staticmethod
    def resolve_guided_window_number(obj: Inquiry) -> int | None:
        return obj.guided_window.number if obj.guided_window else None

    @staticmethod
    def resolve_transferred_department_name(obj: Inquiry) -> str | None:
        department = obj.transferred_department
        return department.name if department else None

    @staticmethod
    def resolve_overdue(obj: Inquiry) -> bool:
        return bool(getattr(obj, "overdue", False))

    @staticmethod
    def resolve_due_on(obj: Inquiry) -> datetime.date | None:
        return due_on(obj) if obj.status == "open" else None


class InquiryDetailOut(InquiryOut):
    contact_phone: str = Field(..., description="The full number (the view is logged)")

    @staticmethod
    def resolve_contact_phone(obj: Inquiry) -> str:
        return obj.contact_phone


class InquiryIn(Schema):
    center: Id | None = Field(None, description="Center id; default: the caller's center")
    channel: Literal["visit", "phone", "fax", "web"]
    matter: Text
    outcome: Literal["answered", "guided", "transferred", "outside"]
    contact_name: Name = ""
    contact_phone: str = Field("", max_length=20, description="Mobile, or landline with area code")
    item: Id | None = Field(None, description="Service item id of the center")
    window: Id | None = Field(
        None, description="Window the caller serves; default: the one served now"
    )
    answer: Text = Field("", description="Required for answered and outside")
    guided_window: Id | None = Field(None, description="Required for guided")
    transferred_department: Id | None = Field(None, description="Required for transferred")
    transferred_contact: Name = Field("", description="Required for transferred")


class FinishIn(Schema):
    result: Text = Field(..., description="How the matter was settled")


class InquiryListQuery(Schema):
    channel: Literal["", "visit", "phone", "fax", "web"] = ""
    outcome: Literal["", "answered", "guided", "transferred", "outside"] = ""
    status: Literal["", "open", "done"] = ""
    date_from: datetime.date | None = Field(None, description="Received on or after (local day)")
    date_to: datetime.date | None = Field(None, description="Received on or before (local day)")
    responder: Id | None = Field(None, description="First responder's user id")
    department: Id | None = Field(None, description="Transferred to this department id")
    q: str = Field("", max_length=60, description="Matter or contact contains")


class RateRowOut(Schema):
    key: int | None = Field(None, description="User, window or department id (null: none)")
    label: str
    received: int = Field(..., description="Inquiries logged (target: every contact, 100%)")
    finished: int
    transferred: int
    open: int
    overdue: int
    acknowledged: int
    finished_rate: float | None = Field(None, description="Finished / received in %, 1 decimal")
    meets_target: bool = Field(..., description="Finished rate ≥ 95% (or nothing received)")


class RatesOut(Schema):
    period: str
    first: datetime.date
    last: datetime.date
    center_id: int | None
    finished_target: float
    total: RateRowOut
    by_staff: list[RateRowOut]
    by_window: list[RateRowOut]
    by_department: list[RateRowOut] = Field(..., description="By the first responder's department")
    by_receiver: list[RateRowOut] = Field(..., description="Transfers by receiving department")


REFUSALS = {404: ErrorOut, **SERVICE_REFUSALS}


class InquiryActionOut(Schema):
    action: str = Field(..., description="Name to POST to /inquiries/{id}/{action}")
    label: str


class InquiryActionsOut(Schema):
    id: int
    status: str
    actions: list[InquiryActionOut] = Field(
        ..., description="What the caller may do now (the inquiry state machine)"
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _refused(error: ValidationError) -> Status:
    return service_refusal(error)


def _reload(pk: int) -> Inquiry:
    return Inquiry.objects.select_related(*LIST_RELATED).get(pk=pk)


def _rate_out(row: RateRow) -> dict[str, Any]:
    return row.as_dict()


@router.get(
    "/",
    response=list[InquiryOut],
    summary="Inquiries I may see, newest first (contact phone masked)",
    description="Paginated with `limit` and `offset`; the answer is `{items, count}`.",
)
@paginate(Pagination)
def list_inquiries(request: HttpRequest, filters: Query[InquiryListQuery]):
    chosen = InquiryFilters(
        channel=filters.channel,
        outcome=filters.outcome,
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
        responder_id=filters.responder,
        department_id=filters.department,
        q=filters.q.strip(),
    )
    return inquiry_list(request.user, chosen)


@router.get(
    "/follow-ups",
    response=list[InquiryOut],
    summary="My open transfers to follow up (首问责任人督办), oldest first, with overdue",
)
def my_follow_ups(request: HttpRequest):
    return list(follow_ups(request.user)[:500])


@router.get(
    "/transfers",
    response=list[InquiryOut],
    summary="Matters transferred to my department (managers: to every department)",
    description="Open ones, oldest first; `include_done=true` adds the finished ones.",
)
@paginate(Pagination)
def transfers(request: HttpRequest, include_done: bool = False):
    if not can_receive_inquiries(request.user):
        raise Http404
    return transfers_to_me(request.user, include_done=include_done)


@router.get(
    "/rates",
    response={200: RatesOut, 404: ErrorOut},
    summary="Received and finished inquiries and the finished rate (target ≥ 95%)",
    description=(
        "Per staff member (first responder), window, the first responder's department, and "
        "receiving department, for the day, week (Monday–Sunday) or month holding `date` "
        "(default today). Received is the count of logged contacts (target: every contact, "
        "100%); finished counts those of them that are done now."
    ),
)
def inquiry_rates(
    request: HttpRequest,
    period: Literal["day", "week", "month"] = "month",
    date: datetime.date | None = None,
    center: Id | None = None,
):
    if not can_read_inquiry_rates(request.user):
        raise Http404
    center_id = access_center(request.user, center).pk if center is not None else None
    chosen = period_of(period, date or timezone.localdate())
    figures = rates_for(request.user, chosen, center_id=center_id)
    return {
        "period": chosen.kind,
        "first": chosen.first,
        "last": chosen.last,
        "center_id": center_id,
        "finished_target": float(FINISHED_TARGET),
        "total": _rate_out(figures.total),
        "by_staff": [_rate_out(row) for row in figures.by_staff],
        "by_window": [_rate_out(row) for row in figures.by_window],
        "by_department": [_rate_out(row) for row in figures.by_department],
        "by_receiver": [_rate_out(row) for row in figures.by_receiver],
    }


@router.get(
    "/{int:inquiry_id}",
    response={200: InquiryDetailOut, 404: ErrorOut},
    summary="One inquiry with the full contact phone (the view is logged)",
)
def get_inquiry(
    request: HttpRequest,
    inquiry_id: int,
    purpose: str = Query("", max_length=300, description="Why the contact is read (logged)"),
):
    inquiry = access_inquiry(request.user, inquiry_id)
    inquiry_contact_view_record(
        actor=_user(request), inquiry=inquiry, purpose=purpose or _("Inquiry read through the API")
    )
    return inquiry


def _in_center(model: Any, pk: int | None, center: Center, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, center=center).first()
    if found is None:
        raise _Missing(field)
    return found


class _Missing(Exception):
    def __init__(self, field: str) -> None:
        self.field = field


MISSING = {
    "item": gettext_lazy("The service item is not in this center's catalog."),
    "window": gettext_lazy("The window is not an open window of this center."),
    "guided_window": gettext_lazy("The window is not an open window of this center."),
    "transferred_department": gettext_lazy("The department is not stationed in this center."),
}


@router.post(
    "/",
    response={201: InquiryOut, **REFUSALS},
    summary="Log a contact as its first responder (the caller)",
    description=(
        "Outcome rules: answered and outside need `answer`; guided needs `guided_window`; "
        "transferred needs `transferred_department` and `transferred_contact` and stays open "
        "on the caller's follow-ups until the receiving department finishes it."
    ),
)
def create_inquiry(request: HttpRequest, payload: InquiryIn):
    user = _user(request)
    if payload.center is not None:
        center = access_center(user, payload.center)
    else:
        root = scope_of(user).root
        if root is None:
            raise Http404
        center = root
    if not can_log_inquiries(user):
        raise Http404  # forbidden answers like missing (the error policy)
    try:
        item = _in_center(ServiceItem, payload.item, center, "item")
        window = _in_center(Window, payload.window, center, "window")
        guided = _in_center(Window, payload.guided_window, center, "guided_window")
        department = _in_center(
            Department, payload.transferred_department, center, "transferred_department"
        )
    except _Missing as missing:
        return field_refusal(missing.field, str(MISSING[missing.field]))
    try:
        inquiry = inquiry_log(
            actor=user,
            center=center,
            channel=payload.channel,
            matter=payload.matter,
            outcome=payload.outcome,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            item=item,
            window=window,
            answer=payload.answer,
            guided_window=guided,
            transferred_department=department,
            transferred_contact=payload.transferred_contact,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _reload(inquiry.pk))


@router.get(
    "/{int:inquiry_id}/actions",
    response=InquiryActionsOut,
    summary="What I may do with an inquiry now (take it on, mark it done)",
)
def actions(request: HttpRequest, inquiry_id: int):
    inquiry = access_inquiry(request.user, inquiry_id)
    return {
        "id": inquiry.pk,
        "status": inquiry.status,
        "actions": [
            {"action": row.action, "label": str(InquiryAction(row.action).label)}
            for row in inquiry_actions(_user(request), inquiry)
        ],
    }


@router.post(
    "/{int:inquiry_id}/acknowledge",
    response={200: InquiryOut, **REFUSALS},
    summary="Take a transferred matter on for my department (签收)",
)
def acknowledge(request: HttpRequest, inquiry_id: int):
    inquiry = access_inquiry(request.user, inquiry_id, for_write=True)
    try:
        inquiry_acknowledge(actor=_user(request), inquiry=inquiry)
    except ValidationError as error:
        return _refused(error)
    return _reload(inquiry.pk)


@router.post(
    "/{int:inquiry_id}/finish",
    response={200: InquiryOut, **REFUSALS},
    summary="Mark a transferred matter done with its result (the receiver, or a manager)",
)
def finish(request: HttpRequest, inquiry_id: int, payload: FinishIn):
    inquiry = access_inquiry(request.user, inquiry_id, for_write=True)
    try:
        inquiry_finish(actor=_user(request), inquiry=inquiry, result=payload.result)
    except ValidationError as error:
        return _refused(error)
    return _reload(inquiry.pk)
