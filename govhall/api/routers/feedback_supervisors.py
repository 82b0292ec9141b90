"""Social supervisors and satisfaction surveys API (行风监督员, 满意度调查; issue 15 item 6).

- Appointments: the appointments of your centers (`GET /appointments`); a hall director of the
  center appoints a user holding the social supervisor role (`POST /appointments`; overlapping
  terms of one person are 409) and ends a term early with a reason (`POST …/{id}/end`).
- Records (visits, mystery shopping naming a window, opinions): management and supervisors read
  every record of their centers, a social supervisor whose term runs only their own
  (`GET /visits`); the social supervisor records (`POST /visits`, only while the term runs:
  otherwise 422); management answers each once (`POST /visits/{id}/respond`).
- Surveys: list, define (`POST /surveys`), one with its questions, open or close
  (`POST /surveys/{id}/{action}`: a survey not in a state for it is 409), results per question
  (`GET /surveys/{id}/results`). Answering is the portal's page (one answer per device).

Errors: `govhall.api.schemas` (missing or forbidden: 404)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Line,
    Pagination,
    PersonOut,
    Text,
    Year,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.feedback.access.supervisors import (
    access_appointment,
    access_supervisor_visit,
    appointments_in_scope,
    can_read_supervisor_records,
    supervisor_visits_in_scope,
)
from govhall.feedback.access.surveys import access_survey, can_read_surveys, surveys_in_scope
from govhall.feedback.models import SupervisorVisit, Survey
from govhall.feedback.queries.surveys import survey_results
from govhall.feedback.services.supervisors import (
    supervisor_appoint,
    supervisor_end_early,
    supervisor_visit_record,
    supervisor_visit_respond,
)
from govhall.feedback.services.surveys import survey_act, survey_create
from govhall.feedback.survey_transitions import SurveyAction
from govhall.org.access.lookups import access_center
from govhall.org.models import Window

router = Router(auth=django_auth)


class SupervisorAppointmentOut(Schema):
    id: int
    user: PersonOut
    center_id: int
    letter_number: str
    employer: str
    starts_on: datetime.date
    ends_on: datetime.date
    ended_early_on: datetime.date | None
    end_reason: str
    appointed_by: PersonOut


class SupervisorAppointIn(Schema):
    user_id: int = Field(..., ge=1, le=BIGINT_MAX)
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    letter_number: str = Field("", max_length=60)
    employer: str = Field("", max_length=100)
    starts_on: datetime.date
    ends_on: datetime.date


class SupervisorEndIn(Schema):
    on: datetime.date
    reason: Line


class SupervisorVisitOut(Schema):
    id: int
    appointment_id: int
    supervisor: PersonOut = Field(..., alias="appointment.user")
    kind: str = Field(..., description='"visit", "mystery" (暗访) or "opinion"')
    visited_on: datetime.date
    window_id: int | None
    findings: str
    recorded_at: datetime.datetime
    response: str
    responded_at: datetime.datetime | None


class SupervisorVisitIn(Schema):
    kind: str = Field(..., max_length=8, description='"visit", "mystery" or "opinion"')
    visited_on: datetime.date
    window_id: int | None = Field(None, ge=1, le=BIGINT_MAX)
    findings: Text


class SupervisorRespondIn(Schema):
    response: Text


class SurveyQuestionOut(Schema):
    id: int
    position: int
    text: str
    kind: str = Field(..., description='"scale" (5 very satisfied … 1), "choice" or "text"')
    choices: list[str]
    required: bool


class SurveyOut(Schema):
    id: int
    center_id: int
    title: str
    year: int
    quarter: int
    status: str = Field(..., description='"draft", "open" or "closed"')
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    public_token: str = Field(..., description="The portal page /voice/surveys/<token>/")
    version: int
    questions: list[SurveyQuestionOut]

    @staticmethod
    def resolve_questions(obj: Survey) -> list[object]:
        return list(obj.questions.order_by("position"))


class SurveyQuestionIn(Schema):
    text: str = Field(..., max_length=300)
    kind: str = Field(..., max_length=8)
    required: bool = True
    choices: list[str] = Field(default_factory=list, max_length=20)


class SurveyIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    title: str = Field(..., max_length=120)
    year: Year
    quarter: int = Field(..., ge=1, le=4)
    questions: list[SurveyQuestionIn] = Field(..., max_length=50)


class SurveyCountOut(Schema):
    label: str
    count: int


class SurveyQuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    counts: list[SurveyCountOut]
    average: Decimal | None = Field(None, description="Average level of a scale (5 best)")
    satisfied_rate: Decimal | None = Field(None, description="Levels 3–5 of a scale, in %")
    texts: list[str]


class SurveyResultsOut(Schema):
    survey_id: int
    responses: int
    questions: list[SurveyQuestionResultOut]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get(
    "/appointments", response=list[SupervisorAppointmentOut], summary="Appointments of your centers"
)
@paginate(Pagination)
def appointments(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    if not can_read_supervisor_records(request.user):
        raise HttpError(404, _("Not found."))
    rows = appointments_in_scope(request.user).select_related("user", "appointed_by")
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    return rows.order_by("-starts_on", "-pk")


@router.post(
    "/appointments",
    response={201: SupervisorAppointmentOut, **SERVICE_REFUSALS},
    summary="Appoint a social supervisor",
)
def appoint(request: HttpRequest, payload: SupervisorAppointIn):
    center = access_center(request.user, payload.center_id)
    person = User.objects.filter(pk=payload.user_id).first()
    try:
        found = supervisor_appoint(
            actor=_user(request),
            user=person,
            center=center,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            letter_number=payload.letter_number,
            employer=payload.employer,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, found)


@router.post(
    "/appointments/{int:appointment_id}/end",
    response={200: SupervisorAppointmentOut, **SERVICE_REFUSALS},
    summary="End a term early",
)
def end_early(request: HttpRequest, appointment_id: int, payload: SupervisorEndIn):
    found = access_appointment(request.user, appointment_id, for_write=True)
    try:
        return supervisor_end_early(
            actor=_user(request), appointment=found, on=payload.on, reason=payload.reason
        )
    except ValidationError as error:
        return service_refusal(error)


@router.get("/visits", response=list[SupervisorVisitOut], summary="Social supervisors' records")
@paginate(Pagination)
def visits(request: HttpRequest):
    return (
        supervisor_visits_in_scope(request.user)
        .select_related("appointment__user")
        .order_by("-visited_on", "-pk")
    )


@router.post(
    "/visits",
    response={201: SupervisorVisitOut, **SERVICE_REFUSALS},
    summary="Record a visit, mystery shopping or an opinion (social supervisor in office)",
)
def visit_record(request: HttpRequest, payload: SupervisorVisitIn):
    window = None
    if payload.window_id is not None:
        window = Window.objects.filter(pk=payload.window_id).first()
        if window is None:
            return field_refusal("window_id", _("Choose a window of your center."))
    try:
        found = supervisor_visit_record(
            actor=_user(request),
            kind=payload.kind,
            visited_on=payload.visited_on,
            findings=payload.findings,
            window=window,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, found)


@router.get("/visits/{int:visit_id}", response=SupervisorVisitOut, summary="One record")
def visit_detail(request: HttpRequest, visit_id: int) -> SupervisorVisit:
    return access_supervisor_visit(request.user, visit_id)


@router.post(
    "/visits/{int:visit_id}/respond",
    response={200: SupervisorVisitOut, **SERVICE_REFUSALS},
    summary="Answer a record (management, once)",
)
def visit_respond(request: HttpRequest, visit_id: int, payload: SupervisorRespondIn):
    found = access_supervisor_visit(request.user, visit_id, for_write=True)
    try:
        return supervisor_visit_respond(
            actor=_user(request), visit=found, response=payload.response
        )
    except ValidationError as error:
        return service_refusal(error)


@router.get("/surveys", response=list[SurveyOut], summary="Satisfaction surveys of your centers")
@paginate(Pagination)
def surveys(request: HttpRequest):
    if not can_read_surveys(request.user):
        raise HttpError(404, _("Not found."))
    return surveys_in_scope(request.user).order_by("-year", "-quarter", "-pk")


@router.post(
    "/surveys", response={201: SurveyOut, **SERVICE_REFUSALS}, summary="Define a survey (draft)"
)
def survey_new(request: HttpRequest, payload: SurveyIn):
    center = access_center(request.user, payload.center_id)
    try:
        found = survey_create(
            actor=_user(request),
            center=center,
            title=payload.title,
            year=payload.year,
            quarter=payload.quarter,
            questions=[question.dict() for question in payload.questions],
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, found)


@router.get("/surveys/{int:survey_id}", response=SurveyOut, summary="One survey with its questions")
def survey_detail(request: HttpRequest, survey_id: int) -> Survey:
    return access_survey(request.user, survey_id)


@router.get(
    "/surveys/{int:survey_id}/results", response=SurveyResultsOut, summary="A survey's results"
)
def results(request: HttpRequest, survey_id: int) -> dict[str, object]:
    found = survey_results(access_survey(request.user, survey_id))
    return {
        "survey_id": found.survey.pk,
        "responses": found.responses,
        "questions": [
            {
                "question_id": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "counts": [{"label": label, "count": n} for label, n in r.counts],
                "average": r.average,
                "satisfied_rate": r.satisfied_rate,
                "texts": r.texts,
            }
            for r in found.questions
        ],
    }


@router.post(
    "/surveys/{int:survey_id}/{action}",
    response={200: SurveyOut, **SERVICE_REFUSALS},
    summary='Open or close a survey ("open", "close")',
)
def survey_action(request: HttpRequest, survey_id: int, action: str):
    found = access_survey(request.user, survey_id, for_write=True)
    if action not in SurveyAction.values:
        raise HttpError(404, _("Not found."))
    try:
        return survey_act(actor=_user(request), survey=found, action=action)
    except ValidationError as error:
        return service_refusal(error)
