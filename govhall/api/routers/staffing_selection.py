"""Window staff selection API (issue 21 item 1; staffing/selection_transitions.py): the
selections the caller reads (ID numbers and phones masked), one with the actions the caller may
take, the nomination (a department's leader), the steps (interview, approve, refuse, withdraw)
and the readiness records. A refusal answers 422, a step already taken 409, a selection the
caller does not see 404."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from govhall.api.schemas import SERVICE_REFUSALS, Code, Id, Line, Short, Text, service_refusal
from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.models import User
from govhall.org.models import Window
from govhall.staffing.access.selection import access_selection, nominating_department
from govhall.staffing.models.selection import StaffSelection
from govhall.staffing.queries.selection import readiness_missing, selections_visible
from govhall.staffing.selection_transitions import SelectionAction
from govhall.staffing.services.selection import (
    readiness_record,
    selection_actions,
    selection_approve,
    selection_interview,
    selection_nominate,
    selection_refuse,
    selection_withdraw,
)

router = Router(auth=django_auth)

MAX_LIST = 500


class ReadinessOut(Schema):
    step: str
    done_on: datetime.date
    hours: Decimal | None
    result: str


class SelectionOut(Schema):
    id: int
    center_id: int
    department_id: int
    window_id: int | None
    post_kind: str
    candidate_name: str
    id_number_masked: str
    phone_masked: str
    birth_date: datetime.date
    is_established: bool
    is_section_rank: bool
    letter_number: str
    status: str
    nominated_at: datetime.datetime
    interviewed_on: datetime.date | None
    interview_score: Decimal | None
    decided_at: datetime.datetime | None
    decision_note: str
    user_id: int | None
    readiness: list[ReadinessOut]
    readiness_missing: list[str]
    actions: list[str] = Field(..., description="What the caller may do now: POST /{id}/{action}")


class NominateIn(Schema):
    candidate_name: Short
    id_number: Code
    letter_number: Code
    birth_date: datetime.date | None = None
    post_kind: Short = "ordinary"
    is_established: bool = False
    is_section_rank: bool = False
    window_id: Id | None = None
    gender: Short = ""
    phone: Short = ""
    education: Short = ""
    current_post: Line = ""
    reason: Text = ""


class SelectionActIn(Schema):
    note: Text = ""
    interviewed_on: datetime.date | None = None
    score: Decimal | None = Field(None, ge=0, le=100)
    username: Short = ""


class ReadinessIn(Schema):
    step: Short
    done_on: datetime.date | None = None
    hours: Decimal | None = Field(None, gt=0, lt=100)
    result: Line = ""


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _out(request: HttpRequest, s: StaffSelection) -> dict[str, Any]:
    return {
        "id": s.pk,
        "center_id": s.center_id,
        "department_id": s.department_id,
        "window_id": s.window_id,
        "post_kind": s.post_kind,
        "candidate_name": s.candidate_name,
        "id_number_masked": mask_id(s.id_number),
        "phone_masked": mask_phone(s.phone),
        "birth_date": s.birth_date,
        "is_established": s.is_established,
        "is_section_rank": s.is_section_rank,
        "letter_number": s.letter_number,
        "status": s.status,
        "nominated_at": s.nominated_at,
        "interviewed_on": s.interviewed_on,
        "interview_score": s.interview_score,
        "decided_at": s.decided_at,
        "decision_note": s.decision_note,
        "user_id": s.user_id,
        "readiness": [
            {"step": r.step, "done_on": r.done_on, "hours": r.hours, "result": r.result}
            for r in s.readiness.all()
        ],
        "readiness_missing": [step.value for step in readiness_missing(s)],
        "actions": [str(row.action) for row in selection_actions(request.user, s)],
    }


@router.get("/", response=list[SelectionOut], summary="Selections I read (masked)")
def selection_list(request: HttpRequest, status: str = ""):
    qs = selections_visible(request.user).prefetch_related("readiness")
    if status:
        qs = qs.filter(status=status)
    return [_out(request, s) for s in qs[:MAX_LIST]]


@router.get("/{selection_id}", response=SelectionOut, summary="One selection")
def selection_detail(request: HttpRequest, selection_id: int):
    return _out(request, access_selection(request.user, selection_id))


@router.post(
    "/",
    response={200: SelectionOut, **SERVICE_REFUSALS},
    summary="Nominate a person of my department (department leader)",
)
def nominate(request: HttpRequest, payload: NominateIn):
    department = nominating_department(request.user)
    if department is None:
        raise HttpError(404, "Not found")
    window = None
    if payload.window_id is not None:
        window = Window.objects.filter(pk=payload.window_id).first()
        if window is None:
            raise HttpError(404, "Not found")
    try:
        selection = selection_nominate(
            actor=_user(request),
            department=department,
            candidate_name=payload.candidate_name,
            id_number=payload.id_number,
            letter_number=payload.letter_number,
            birth_date=payload.birth_date,
            post_kind=payload.post_kind,
            is_established=payload.is_established,
            is_section_rank=payload.is_section_rank,
            window=window,
            gender=payload.gender,
            phone=payload.phone,
            education=payload.education,
            current_post=payload.current_post,
            reason=payload.reason,
        )
    except ValidationError as error:
        return service_refusal(error)
    return _out(request, selection)


@router.post(
    "/{selection_id}/readiness",
    response={200: SelectionOut, **SERVICE_REFUSALS},
    summary="Record a readiness step (hall director)",
)
def readiness(request: HttpRequest, selection_id: int, payload: ReadinessIn):
    selection = access_selection(request.user, selection_id)
    try:
        readiness_record(
            actor=_user(request),
            selection=selection,
            step=payload.step,
            done_on=payload.done_on,
            hours=payload.hours,
            result=payload.result,
        )
    except ValidationError as error:
        return service_refusal(error)
    return _out(request, access_selection(request.user, selection_id))


@router.post(
    "/{selection_id}/{action}",
    response={200: SelectionOut, **SERVICE_REFUSALS},
    summary="Take a step: interview_pass, interview_fail, approve, refuse, withdraw",
)
def act(request: HttpRequest, selection_id: int, action: str, payload: SelectionActIn):
    if action not in SelectionAction.values:
        raise HttpError(404, "Not found")
    selection = access_selection(request.user, selection_id)
    actor = _user(request)
    try:
        if action in (SelectionAction.INTERVIEW_PASS, SelectionAction.INTERVIEW_FAIL):
            done = selection_interview(
                actor=actor,
                selection=selection,
                passed=action == SelectionAction.INTERVIEW_PASS,
                interviewed_on=payload.interviewed_on,
                score=payload.score,
                notes=payload.note,
            )
        elif action == SelectionAction.APPROVE:
            done = selection_approve(
                actor=actor, selection=selection, note=payload.note, username=payload.username
            )
        elif action == SelectionAction.REFUSE:
            done = selection_refuse(actor=actor, selection=selection, note=payload.note)
        else:
            done = selection_withdraw(actor=actor, selection=selection, note=payload.note)
    except ValidationError as error:
        return service_refusal(error)
    return _out(request, done)
