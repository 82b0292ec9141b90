"""Petitions API (信访; issue 15 item 3) at /api/v1/feedback/petitions/: register, list, one,
its actions (the lifecycle table, `govhall/feedback/petition_transitions.py`), and the leader
reception days.

The petitioner comes as `petitioner` with a `level`: "full" (management, the handler, and
petition handlers for a non-accusation: each such answer is logged as a view of personal data),
"masked" (lists, department staff) or "hidden" (an accuser, to everybody but management and the
handler; lists hide every accuser). Errors (`govhall.api.schemas`): a petition or reception day
the caller may not see or handle → 404; refused input (six representatives, an extension of 31
days, a 复查 after its 30 days) → 422 with the fields; a stale `version`, a step the petition's
status no longer allows, a second extension or review → 409.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Count,
    Id,
    Line,
    Pagination,
    PersonOut,
    Short,
    TransitionOut,
    service_refusal,
)
from govhall.core.models import User
from govhall.feedback.access.petitions import (
    IDENTITY_FIELDS,
    IDENTITY_FULL,
    access_petition,
    access_reception,
    can_read_petitions,
    can_read_receptions,
    identity_level,
    list_identity_level,
    petition_centers,
    petitions_in_scope,
    receptions_in_scope,
)
from govhall.feedback.models.petitions import LeaderReception, Petition
from govhall.feedback.petition_transitions import PetitionAction
from govhall.feedback.queries.petitions import (
    PetitionFilters,
    is_collective,
    overdue_kinds,
    petition_list,
    petitioner_as_seen,
)
from govhall.feedback.services import petitions as services
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.org.models import Department

router = Router(auth=django_auth)
A = PetitionAction

Text5000 = Field(default="", max_length=5000)


class PetitionerOut(Schema):
    level: str = Field(..., description='"full", "masked" or "hidden" (then every field null)')
    name: str | None
    phone: str | None
    id_number: str | None
    address_or_employer: str | None


class PetitionReviewOut(Schema):
    kind: str = Field(..., description='"review" (复查) or "recheck" (复核)')
    requested_on: datetime.date
    due_on: datetime.date
    answered_on: datetime.date | None
    answer: str


class PetitionOut(Schema):
    id: int
    number: str
    center_id: int
    channel: str
    received_at: datetime.datetime
    status: str
    version: int
    petitioner: PetitionerOut
    gender: str
    age: int | None
    occupation: str
    political_status: str
    matter: str
    people_count: int
    representatives: int
    collective: bool
    is_major: bool
    is_accusation: bool
    handler: PersonOut | None
    assigned_department_id: int | None
    answer_due_on: datetime.date
    answered_on: datetime.date | None
    acceptance_due_on: datetime.date
    accepted_on: datetime.date | None
    close_due_on: datetime.date | None
    extension_days: int
    reception_due_on: datetime.date | None
    closed_on: datetime.date | None
    overdue: list[str] = Field(
        ...,
        description='Steps overdue now: "answer", "acceptance", "closing", "reception", "review"',
    )


class PetitionDetailOut(PetitionOut):
    visitor_notice: str
    acceptance_notice: str
    extension_reason: str
    opinion: str
    reviews: list[PetitionReviewOut]
    actions: list[str] = Field(
        ..., description="What the caller may do now (POST …/actions/{action})"
    )


class PetitionIn(Schema):
    center_id: Id
    channel: Short = "visit"
    received_at: datetime.datetime | None = Field(None, description="default: now")
    name: str = Field(..., max_length=60)
    gender: Short = ""
    age: int | None = Field(None, ge=0, le=150)
    occupation: str = Field("", max_length=60)
    political_status: Short = ""
    address_or_employer: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)
    matter: str = Field(..., max_length=5000)
    people_count: int = Field(1, ge=1, le=10000)
    representatives: int = Field(1, ge=1, le=10000)
    is_major: bool = False
    is_accusation: bool = False
    needs_reception: bool | None = Field(None, description="null: when collective or major")
    department_id: int | None = Field(None, ge=1, le=BIGINT_MAX)


class PetitionActionIn(Schema):
    version: Count = Field(..., description="The petition's version as the caller saw it")
    notice: str = Field("", max_length=5000, description="notify, accept, refuse")
    answer: str = Field("", max_length=5000, description="answer_on_spot, answer_review")
    opinion: str = Field("", max_length=5000, description="close")
    department_id: int | None = Field(None, ge=1, le=BIGINT_MAX, description="assign")
    instructions: str = Field("", max_length=1000, description="assign")
    days: int | None = Field(None, ge=0, le=10000, description="extend")
    reason: str = Field("", max_length=1000, description="extend")
    requested_on: datetime.date | None = Field(None, description="request_review/recheck")


class PetitionReceptionOut(Schema):
    id: int
    center_id: int
    leader: PersonOut
    day: datetime.date
    place: str
    petitions: list[str] = Field(..., description="numbers of the petitions received that day")

    @staticmethod
    def resolve_petitions(obj: LeaderReception) -> list[str]:
        return [p.number for p in obj.petitions.all()]


class PetitionReceptionIn(Schema):
    center_id: Id
    leader_id: Id
    day: datetime.date
    place: Line = ""


class PetitionReceiveIn(Schema):
    reception_id: Id


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _out(petition: Petition, level: str, today: datetime.date) -> dict[str, Any]:
    who = petitioner_as_seen(petition, level)
    return {
        **{f: getattr(petition, f) for f in PetitionOut.model_fields if hasattr(petition, f)},
        "petitioner": {
            "level": who.level,
            "name": who.name,
            "phone": who.phone,
            "id_number": who.id_number,
            "address_or_employer": who.address_or_employer,
        },
        "collective": is_collective(petition.people_count),
        "handler": petition.handler,
        "overdue": overdue_kinds(petition, today),
    }


def _detail(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    actor = _user(request)
    level = identity_level(actor, petition)
    if level == IDENTITY_FULL:
        feedback_personal_data_view_record(
            actor=actor,
            obj=petition,
            center_id=petition.center_id,
            fields=[f for f in IDENTITY_FIELDS if getattr(petition, f)],
            purpose=_("Petition read through the API"),
        )
    return {
        **_out(petition, level, timezone.localdate()),
        "visitor_notice": petition.visitor_notice,
        "acceptance_notice": petition.acceptance_notice,
        "extension_reason": petition.extension_reason,
        "opinion": petition.opinion,
        "reviews": list(petition.reviews.all()),
        "actions": services.petition_actions(actor, petition),
    }


def _fresh(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    return _detail(request, access_petition(request.user, petition_id))


@router.post(
    "/", response={201: PetitionDetailOut, **SERVICE_REFUSALS}, summary="Register a petition"
)
def register(request: HttpRequest, payload: PetitionIn):
    actor = _user(request)
    center = petition_centers(actor).filter(pk=payload.center_id).first()
    if center is None:
        raise HttpError(404, _("Not found."))
    department = None
    if payload.department_id is not None:
        department = Department.objects.filter(pk=payload.department_id).first()
        if department is None:
            return service_refusal(
                ValidationError({"department_id": [_("Choose a department of this center.")]})
            )
    received = payload.received_at
    if received is not None and timezone.is_naive(received):
        received = timezone.make_aware(received)
    try:
        petition = services.petition_register(
            actor=actor,
            center=center,
            channel=payload.channel,
            received_at=received,
            name=payload.name,
            gender=payload.gender,
            age=payload.age,
            occupation=payload.occupation,
            political_status=payload.political_status,
            address_or_employer=payload.address_or_employer,
            phone=payload.phone,
            id_number=payload.id_number,
            matter=payload.matter,
            people_count=payload.people_count,
            representatives=payload.representatives,
            is_major=payload.is_major,
            is_accusation=payload.is_accusation,
            needs_reception=payload.needs_reception,
            department=department,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, _fresh(request, petition.pk))


@router.get("/", response=list[PetitionOut], summary="Petitions in your scope, overdue first")
@paginate(Pagination)
def petitions(
    request: HttpRequest,
    status: Short = "",
    overdue: bool = False,
    collective_or_major: bool = False,
    number: Short = "",
    received_from: datetime.date | None = Query(None),
    received_to: datetime.date | None = Query(None),
):
    if not can_read_petitions(request.user):
        raise HttpError(404, _("Not found."))
    today = timezone.localdate()
    found = petition_list(
        petitions_in_scope(request.user).select_related("handler"),
        PetitionFilters(
            status=status,
            overdue=overdue,
            collective_or_major=collective_or_major,
            search=number,
            received_from=received_from,
            received_to=received_to,
        ),
        today=today,
    )
    return _Listed(found, request.user, today)


class _Listed:
    """The paginated rows, each shaped with the list's identity level (masked or hidden)."""

    def __init__(self, rows: Any, user: object, today: datetime.date) -> None:
        self.rows, self.user, self.today = rows, user, today

    def __len__(self) -> int:
        return int(self.rows.count())

    def count(self) -> int:
        return int(self.rows.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_out(p, list_identity_level(self.user, p), self.today) for p in self.rows[index]]


@router.get("/receptions", response=list[PetitionReceptionOut], summary="Leader reception days")
@paginate(Pagination)
def receptions(
    request: HttpRequest,
    since: datetime.date | None = Query(None, description="default: 30 days ago"),
):
    if not can_read_receptions(request.user):
        raise HttpError(404, _("Not found."))
    start = since or timezone.localdate() - datetime.timedelta(days=30)
    return (
        receptions_in_scope(request.user)
        .filter(day__gte=start)
        .select_related("leader")
        .prefetch_related("petitions")
        .order_by("day", "id")
    )


@router.post(
    "/receptions",
    response={201: PetitionReceptionOut, **SERVICE_REFUSALS},
    summary="Schedule a leader's reception day (management)",
)
def schedule_reception(request: HttpRequest, payload: PetitionReceptionIn):
    actor = _user(request)
    center = petition_centers(actor).filter(pk=payload.center_id).first()
    if center is None:
        raise HttpError(404, _("Not found."))
    leader = User.objects.filter(pk=payload.leader_id).first()
    try:
        reception = services.reception_schedule(
            actor=actor, center=center, leader=leader, day=payload.day, place=payload.place
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, reception)


@router.get("/{petition_id}", response=PetitionDetailOut, summary="One petition")
def petition(request: HttpRequest, petition_id: int):
    return _fresh(request, petition_id)


class PetitionActionsOut(Schema):
    id: int
    status: str
    version: int
    actions: list[TransitionOut] = Field(
        ..., description="What the caller may do now (the petition lifecycle table)"
    )


@router.get(
    "/{petition_id}/actions",
    response=PetitionActionsOut,
    summary="What the caller may do with the petition now",
)
def actions(request: HttpRequest, petition_id: int):
    found = access_petition(request.user, petition_id)
    return {
        "id": found.pk,
        "status": found.status,
        "version": found.version,
        "actions": [
            {"action": action, "label": str(A(action).label)}
            for action in services.petition_actions(_user(request), found)
        ],
    }


@router.post(
    "/{petition_id}/actions/{action}",
    response={200: PetitionDetailOut, **SERVICE_REFUSALS},
    summary="Take a step: answer_on_spot, notify, accept, refuse, assign, extend, close, "
    "request_review, request_recheck, answer_review",
)
def act(request: HttpRequest, petition_id: int, action: str, payload: PetitionActionIn):
    actor = _user(request)
    found = access_petition(actor, petition_id, for_write=True)
    if action not in A.values:
        raise HttpError(404, _("Not found."))
    common: dict[str, Any] = {"actor": actor, "petition": found, "version": payload.version}
    try:
        if action == A.ANSWER_ON_SPOT:
            services.petition_answer_on_spot(**common, answer=payload.answer)
        elif action == A.NOTIFY:
            services.petition_notify(**common, notice=payload.notice)
        elif action == A.ACCEPT:
            services.petition_accept(**common, notice=payload.notice)
        elif action == A.REFUSE:
            services.petition_refuse(**common, notice=payload.notice)
        elif action == A.ASSIGN:
            department = (
                Department.objects.filter(pk=payload.department_id).first()
                if payload.department_id
                else None
            )
            services.petition_assign(
                **common, department=department, instructions=payload.instructions
            )
        elif action == A.EXTEND:
            services.petition_extend(**common, days=payload.days, reason=payload.reason)
        elif action == A.CLOSE:
            services.petition_close(**common, opinion=payload.opinion)
        elif action in (A.REQUEST_REVIEW, A.REQUEST_RECHECK):
            services.petition_request_review(
                **common,
                kind="review" if action == A.REQUEST_REVIEW else "recheck",
                requested_on=payload.requested_on,
            )
        else:
            services.petition_answer_review(**common, answer=payload.answer)
    except ValidationError as error:
        return service_refusal(error)
    return _fresh(request, found.pk)


@router.post(
    "/{petition_id}/receptions",
    response={200: PetitionReceptionOut, **SERVICE_REFUSALS},
    summary="Put the petition on a leader's reception day",
)
def receive(request: HttpRequest, petition_id: int, payload: PetitionReceiveIn):
    actor = _user(request)
    found = access_petition(actor, petition_id, for_write=True)
    reception = access_reception(actor, payload.reception_id)
    try:
        services.reception_receive(actor=actor, reception=reception, petition=found)
    except ValidationError as error:
        return service_refusal(error)
    return reception
