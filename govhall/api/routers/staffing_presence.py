"""Presence API: who serves a post now (AB岗 cover), the duty board, the where-and-until sign
(去向牌) and the empty-post alerts (空岗), scoped to the logged-in user.

Errors (`govhall.api.schemas.service_refusal`): refused input or a refused action → 422 with the
messages by field; an absence that changed since the caller looked (already approved, already
ended, the sign already down) → 409; what the caller may not see → 404, like a missing one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
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
    Id,
    LongName,
    Pagination,
    PersonOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import access_center, access_post
from govhall.org.access.scope import scope_of, windows_in_scope
from govhall.staffing.absence_transitions import AbsenceAction
from govhall.staffing.access.cover import can_see_vacancies
from govhall.staffing.access.presence import access_absence
from govhall.staffing.models import Absence
from govhall.staffing.queries.cover import (
    Serving,
    posts_with_people,
    signs_of_center,
    vacancies_in_scope,
    who_serves,
    who_serves_many,
)
from govhall.staffing.services.presence import (
    absence_actions,
    absence_approve,
    absence_needs_approval,
    absence_return,
    absence_start,
)

router = Router(auth=django_auth)


class ServingOut(Schema):
    post_id: int
    post_name: str
    window_id: int
    window_number: int
    user: PersonOut | None
    role: str | None = Field(None, description='"a", "cover", "b", "head" or null (empty post)')
    reason: str
    empty: bool


class AbsenceOut(Schema):
    id: int
    user: PersonOut
    window_id: int | None
    whereabouts: str
    starts_at: datetime.datetime
    until: datetime.datetime
    returned_at: datetime.datetime | None
    status: str
    approved_by_id: int | None
    cover_id: int | None
    counted_as_half_day_absenteeism: bool
    needs_approval: bool
    overdue: bool


class WindowBoardOut(Schema):
    id: int
    number: int
    name: str
    posts: list[ServingOut]


class BoardOut(Schema):
    center_id: int
    at: datetime.datetime
    windows: list[WindowBoardOut]
    signs: list[AbsenceOut]


class AbsenceIn(Schema):
    whereabouts: LongName
    until: datetime.datetime


class ApproveIn(Schema):
    cover: Id = Field(..., description="User id of the window staff member who covers")


class VacancyOut(Schema):
    id: int
    center_id: int
    post_id: int
    post_name: str = Field(..., alias="post.name")
    window_number: int = Field(..., alias="post.window.number")
    started_at: datetime.datetime
    ended_at: datetime.datetime | None


def _serving_out(serving: Serving) -> dict[str, Any]:
    post = serving.post
    return {
        "post_id": post.pk,
        "post_name": post.name,
        "window_id": post.window_id,
        "window_number": post.window.number,
        "user": serving.user,
        "role": serving.role,
        "reason": serving.reason,
        "empty": serving.user is None,
    }


def _absence_out(absence: Absence, now: datetime.datetime) -> dict[str, Any]:
    return {
        "id": absence.pk,
        "user": absence.user,
        "window_id": absence.window_id,
        "whereabouts": absence.whereabouts,
        "starts_at": absence.starts_at,
        "until": absence.until,
        "returned_at": absence.returned_at,
        "status": absence.status,
        "approved_by_id": absence.approved_by_id,
        "cover_id": absence.cover_id,
        "counted_as_half_day_absenteeism": absence.counted_as_half_day_absenteeism,
        "needs_approval": absence_needs_approval(absence, now),
        "overdue": absence.returned_at is None and absence.until < now,
    }


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    # A stale decision (staffing.services.errors.StaleDecision) is a Conflict: 409.
    return service_refusal(error)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/who-serves", response=ServingOut, summary="Who serves a post at a moment")
def who_serves_view(
    request: HttpRequest, post: Id, at: datetime.datetime | None = None
) -> dict[str, Any]:
    found = access_post(request.user, post)
    return _serving_out(who_serves(found, at or timezone.now()))


@router.get("/board", response=BoardOut, summary="Duty board of a center: who serves every post")
def board(request: HttpRequest, center: Id) -> dict[str, Any]:
    found = access_center(request.user, center)
    now = timezone.now()
    windows = list(
        windows_in_scope(request.user)
        .filter(center=found, is_active=True)
        .distinct()
        .order_by("number")
        .prefetch_related(
            Prefetch("posts", queryset=posts_with_people().order_by("id"), to_attr="post_list")
        )
    )
    servings = {
        s.post.pk: s for s in who_serves_many([p for w in windows for p in w.post_list], now)
    }
    window_ids = {w.pk for w in windows}
    department_bound = scope_of(request.user).department_id is not None
    signs = [
        _absence_out(sign, now)
        for sign in signs_of_center(found.pk)
        if sign.window_id in window_ids or (sign.window_id is None and not department_bound)
    ]
    return {
        "center_id": found.pk,
        "at": now,
        "windows": [
            {
                "id": w.pk,
                "number": w.number,
                "name": w.name,
                "posts": [_serving_out(servings[p.pk]) for p in w.post_list],
            }
            for w in windows
        ],
        "signs": signs,
    }


@router.post(
    "/absence",
    response={201: AbsenceOut, **SERVICE_REFUSALS},
    summary="Put up my where-and-until sign",
)
def start_absence(request: HttpRequest, payload: AbsenceIn) -> Status:
    now = timezone.now()
    try:
        absence = absence_start(
            actor=_actor(request), whereabouts=payload.whereabouts, until=payload.until, at=now
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _absence_out(absence, now))


@router.post(
    "/absence/return",
    response={200: AbsenceOut, **SERVICE_REFUSALS},
    summary="I am back: take my sign down",
)
def return_from_absence(request: HttpRequest) -> Any:
    now = timezone.now()
    try:
        absence = absence_return(actor=_actor(request), at=now)
    except ValidationError as error:
        return _refused(error)
    return _absence_out(absence, now)


class AbsenceActionOut(Schema):
    action: str = Field(..., description="approve: POST /absence/{id}/approve; return: back")
    label: str


class AbsenceActionsOut(Schema):
    id: int
    status: str
    actions: list[AbsenceActionOut] = Field(
        ..., description="What the caller may do now (the absence state machine)"
    )


@router.get(
    "/absence/{absence_id}/actions",
    response=AbsenceActionsOut,
    summary="What I may do with an absence now (approve with a cover, end it)",
)
def absence_actions_view(request: HttpRequest, absence_id: int) -> dict[str, Any]:
    absence = access_absence(request.user, absence_id)
    return {
        "id": absence.pk,
        "status": absence.status,
        "actions": [
            {"action": row.action, "label": str(AbsenceAction(row.action).label)}
            for row in absence_actions(_actor(request), absence)
        ],
    }


@router.post(
    "/absence/{absence_id}/approve",
    response={200: AbsenceOut, **SERVICE_REFUSALS},
    summary="Window head approves an absence over 20 minutes and names the cover",
)
def approve_absence(request: HttpRequest, absence_id: int, payload: ApproveIn) -> Any:
    absence = access_absence(request.user, absence_id, for_write=True)
    cover = User.objects.filter(pk=payload.cover, staff__center_id=absence.center_id).first()
    if cover is None:
        return field_refusal("cover", _("The cover must be window staff of this center."))
    now = timezone.now()
    try:
        approved = absence_approve(actor=_actor(request), absence=absence, cover=cover, at=now)
    except ValidationError as error:
        return _refused(error)
    return _absence_out(approved, now)


@router.get(
    "/vacancies",
    response=list[VacancyOut],
    summary="Empty-post alerts (managers and supervisors)",
)
@paginate(Pagination)
def vacancies(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    open_only: bool = False,
):
    if not can_see_vacancies(request.user):
        raise HttpError(404, _("Not found."))
    rows = vacancies_in_scope(request.user).order_by("-started_at", "-id")
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    if open_only:
        rows = rows.filter(ended_at__isnull=True)
    return rows
