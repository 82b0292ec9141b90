"""Complaints API (投诉, issue 15 item 2) under /api/v1/feedback/complaints/: register, the list
(scoped, overdue first), one complaint, what the caller may do, and the lifecycle steps.

Confidentiality (`govhall.feedback.access.complaints`): `complainant` is null for anyone who is
not a handler of the complaint (the department that received the 交办单, for one); the list
gives it masked, one complaint in full — and that read is logged.

Errors (`govhall.api.schemas`): refused input → 422 by field; a stale `version` or a step the
complaint's state no longer allows → 409; a complaint outside the caller's reach, or a step
they are no party of → 404.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of paginated
# operations (their Query parameters) at import time.

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import StringConstraints

from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    ErrorOut,
    Id,
    Label,
    LongName,
    Pagination,
    PersonOut,
    Search,
    Short,
    TransitionOut,
    VersionIn,
    service_refusal,
)
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.feedback.access.complaints import (
    COMPLAINANT_FIELDS,
    access_complaint,
    assigned_to_department,
    complaints_in_scope,
    handler_filter,
    sees_complainant,
)
from govhall.feedback.complaint_transitions import ComplaintAction
from govhall.feedback.models.complaints import Complaint
from govhall.feedback.queries.complaints import (
    ComplaintFilters,
    complaint_list,
    is_overdue,
    target_label,
)
from govhall.feedback.services.complaints import (
    complaint_actions,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_register,
    complaint_reply,
    complaint_tell,
)
from govhall.feedback.services.privacy import feedback_personal_data_view_record

router = Router(auth=django_auth)

LongText = Annotated[str, StringConstraints(max_length=5000)]
Reason = Annotated[str, StringConstraints(max_length=1000)]


class ComplainantOut(Schema):
    name: str
    phone: str
    address: str
    anonymous: bool
    masked: bool = Field(..., description="True in lists: name and phone masked, no address")


class ComplaintOut(Schema):
    id: int
    number: str
    center_id: int
    channel: str
    target_kind: str
    target_staff_id: int | None
    target_window_id: int | None
    target_department_id: int | None
    target: str = Field(..., description="Whom it is about, in words")
    summary: str
    details: str
    received_at: datetime.datetime
    complexity: str
    status: str
    handled_on_the_spot: bool
    due_at: datetime.datetime
    overdue: bool
    delay_reason: str
    handler: PersonOut | None
    assigned_department_id: int | None
    assigned_at: datetime.datetime | None
    assignment_due_at: datetime.datetime | None
    department_reply: str
    department_replied_at: datetime.datetime | None
    finding: str
    result: str
    answered_at: datetime.datetime | None
    told_via: str
    told_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    version: int
    complainant: ComplainantOut | None = Field(
        ..., description="Only for the complaint's handlers and management; otherwise null"
    )

    @staticmethod
    def resolve_target(obj: Complaint) -> str:
        return target_label(obj)

    @staticmethod
    def resolve_overdue(obj: Complaint) -> bool:
        found = getattr(obj, "is_overdue", None)
        return bool(found) if found is not None else is_overdue(obj)

    @staticmethod
    def resolve_complainant(obj: Complaint) -> dict[str, Any] | None:
        full = getattr(obj, "complainant_full", None)
        if full is not None:
            return full
        if not getattr(obj, "may_see", False):
            return None
        return {
            "name": mask_name(obj.complainant_name),
            "phone": mask_phone(obj.complainant_phone) if obj.complainant_phone else "",
            "address": "",
            "anonymous": obj.anonymous,
            "masked": True,
        }


class ComplaintIn(Schema):
    center_id: Id
    channel: Code
    target_kind: Code
    target_id: Id | None = None
    summary: Label
    details: LongText = ""
    complainant_name: LongName = ""
    complainant_phone: Short = ""
    complainant_address: Label = ""
    anonymous: bool = False
    complexity: Code = "simple"
    received_at: datetime.datetime | None = None
    on_the_spot: bool = False
    finding: Code = ""
    result: LongText = ""


class ComplaintListQuery(Schema):
    q: Search = ""
    status: Code = ""
    channel: Code = ""
    finding: Code = ""
    target_kind: Code = ""
    overdue: bool = False
    assigned: bool = Field(False, description="Only those assigned to my department (交办单)")


class AssignIn(VersionIn):
    department_id: Id
    due_on: datetime.date | None = None


class ReplyIn(VersionIn):
    reply: LongText


class AnswerIn(VersionIn):
    finding: Code
    result: LongText
    delay_reason: Reason = ""


class TellIn(VersionIn):
    via: Code


class ComplaintActionsOut(Schema):
    id: int
    status: str
    version: int
    actions: list[TransitionOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _one(user: User, complaint_id: int) -> Complaint:
    """One complaint as answered: the complainant in full for handlers (the read is logged)."""
    complaint = access_complaint(user, complaint_id)
    if sees_complainant(user, complaint):
        fields = [name for name in COMPLAINANT_FIELDS if getattr(complaint, name)]
        if fields:
            feedback_personal_data_view_record(
                actor=user,
                obj=complaint,
                center_id=complaint.center_id,
                fields=fields,
                purpose=_("Complaint read through the API"),
            )
        complaint.complainant_full = {  # type: ignore[attr-defined]
            "name": complaint.complainant_name,
            "phone": complaint.complainant_phone,
            "address": complaint.complainant_address,
            "anonymous": complaint.anonymous,
            "masked": False,
        }
    return complaint


@router.post("/", response={201: ComplaintOut, **SERVICE_REFUSALS}, summary="Register a complaint")
def register(request: HttpRequest, payload: ComplaintIn):
    user = _user(request)
    values = payload.dict()
    if values["received_at"] is not None and timezone.is_naive(values["received_at"]):
        values["received_at"] = timezone.make_aware(values["received_at"])
    try:
        complaint = complaint_register(actor=user, **values)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, _one(user, complaint.pk))


@router.get(
    "/",
    response=list[ComplaintOut],
    summary="Complaints I may read: overdue first (the complainant masked, handlers only)",
    description="Paginated with `limit` and `offset`; the answer is `{items, count}`.",
)
@paginate(Pagination)
def list_complaints(request: HttpRequest, filters: Query[ComplaintListQuery]):
    user = request.user
    scoped = assigned_to_department(user) if filters.assigned else complaints_in_scope(user)
    chosen = ComplaintFilters(
        q=filters.q.strip(),
        status=filters.status,
        channel=filters.channel,
        finding=filters.finding,
        target_kind=filters.target_kind,
        overdue=filters.overdue,
    )
    return (
        complaint_list(scoped, chosen)
        .select_related("handler")
        .annotate(
            may_see=Case(
                When(handler_filter(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


@router.get(
    "/{int:complaint_id}",
    response={200: ComplaintOut, 404: ErrorOut},
    summary="One complaint (the complainant in full for handlers; the read is logged)",
)
def get_complaint(request: HttpRequest, complaint_id: int):
    return _one(_user(request), complaint_id)


@router.get(
    "/{int:complaint_id}/actions",
    response={200: ComplaintActionsOut, 404: ErrorOut},
    summary="What I may do with a complaint now (assign, reply, answer, tell, close)",
)
def actions(request: HttpRequest, complaint_id: int):
    complaint = access_complaint(request.user, complaint_id)
    return {
        "id": complaint.pk,
        "status": complaint.status,
        "version": complaint.version,
        "actions": [
            {"action": row.action, "label": str(ComplaintAction(row.action).label)}
            for row in complaint_actions(request.user, complaint)
        ],
    }


def _step(request: HttpRequest, complaint_id: int, run: Any) -> Any:
    user = _user(request)
    complaint = access_complaint(user, complaint_id, for_write=True)
    try:
        run(user, complaint)
    except ValidationError as error:
        return service_refusal(error)
    return _one(user, complaint.pk)


STEP = {200: ComplaintOut, 404: ErrorOut, **SERVICE_REFUSALS}


@router.post("/{int:complaint_id}/assign", response=STEP, summary="Send a 交办单 to a department")
def assign(request: HttpRequest, complaint_id: int, payload: AssignIn):
    return _step(
        request,
        complaint_id,
        lambda user, c: complaint_assign(
            actor=user,
            complaint=c,
            version=payload.version,
            department_id=payload.department_id,
            due_on=payload.due_on,
        ),
    )


@router.post(
    "/{int:complaint_id}/reply", response=STEP, summary="The department's reply to its 交办单"
)
def reply(request: HttpRequest, complaint_id: int, payload: ReplyIn):
    return _step(
        request,
        complaint_id,
        lambda user, c: complaint_reply(
            actor=user, complaint=c, version=payload.version, reply=payload.reply
        ),
    )


@router.post(
    "/{int:complaint_id}/answer",
    response=STEP,
    summary="Answer with a finding (verified, partly, unfounded); late needs delay_reason",
)
def answer(request: HttpRequest, complaint_id: int, payload: AnswerIn):
    return _step(
        request,
        complaint_id,
        lambda user, c: complaint_answer(
            actor=user,
            complaint=c,
            version=payload.version,
            finding=payload.finding,
            result=payload.result,
            delay_reason=payload.delay_reason,
        ),
    )


@router.post(
    "/{int:complaint_id}/tell",
    response=STEP,
    summary="Tell the complainant the result (sms, letter, phone, in_person)",
)
def tell(request: HttpRequest, complaint_id: int, payload: TellIn):
    return _step(
        request,
        complaint_id,
        lambda user, c: complaint_tell(
            actor=user, complaint=c, version=payload.version, via=payload.via
        ),
    )


@router.post("/{int:complaint_id}/close", response=STEP, summary="Close an answered complaint")
def close(request: HttpRequest, complaint_id: int, payload: VersionIn):
    return _step(
        request,
        complaint_id,
        lambda user, c: complaint_close(actor=user, complaint=c, version=payload.version),
    )
