"""Leave API (SPEC §8): my requests, asking for leave, deciding, and the team calendar.

Errors (`govhall.api.schemas.service_refusal`): refused input or a refused action → 422 with the
messages by field; a decision the leave no longer allows because it changed since the caller
looked (decided or endorsed by someone else, cancelled) → 409; a leave the caller is not a party
of → 404, like a missing one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    Id,
    Line,
    Pagination,
    PersonOut,
    service_refusal,
)
from govhall.core.models import User
from govhall.staffing.access.leave import access_leave, access_team_calendar
from govhall.staffing.leave_transitions import LeaveAction
from govhall.staffing.models.leave import Leave, LeaveKind
from govhall.staffing.queries.leave import (
    leaves_to_decide,
    my_leaves,
    team_calendar,
    team_staff,
)
from govhall.staffing.queries.leave_cover import chosen_covers, cover_candidates, leave_cover_plan
from govhall.staffing.services.leave import (
    leave_actions,
    leave_approve,
    leave_cancel,
    leave_endorse,
    leave_reject,
    leave_request,
)

router = Router(auth=django_auth)
CALENDAR_ROWS_MAX = 500


class LeaveOut(Schema):
    id: int
    user: PersonOut
    center_id: int
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    working_days: float
    reason: str
    status: str
    needs_management: bool
    decided_by: PersonOut | None
    decided_at: datetime.datetime | None
    decision_note: str


class LeaveIn(Schema):
    kind: LeaveKind
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    reason: Line


class DecisionIn(Schema):
    note: Line = ""


class CoverIn(Schema):
    post_id: Id
    user_id: Id


class LeaveApproveIn(DecisionIn):
    """Approving a leave that would leave a post empty during service hours needs its cover
    named first (issue 16 item 2): per post in `covers`, or one `cover_id` for every such post.
    See GET /leave/{id}/cover for who would serve each affected post."""

    covers: list[CoverIn] = Field(default_factory=list, max_length=50)
    cover_id: Id | None = None


class PostCoverOut(Schema):
    post_id: int
    post: str
    window_id: int
    serving: PersonOut | None = Field(
        ..., description="Who would serve the post when the leave starts (null: nobody)"
    )
    role: str | None = Field(..., description="a, cover (named), b or head")
    needs_cover: bool = Field(..., description="Nobody would serve it at some service hour")
    empty_at: datetime.datetime | None
    chosen: PersonOut | None = Field(..., description="The cover named for the post")


class CoverRecordOut(Schema):
    post_id: int
    post: str
    cover: PersonOut
    reason: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None


class LeaveCoverOut(Schema):
    id: int
    status: str
    working_days: float
    needs_management: bool
    posts: list[PostCoverOut] = Field(..., description="The posts the leave touches")
    covers: list[CoverRecordOut] = Field(..., description="Cover records of an approved leave")
    candidates: list[PersonOut] = Field(
        ..., description="Who may be named as cover (only for one who may approve it now)"
    )


class LeaveActionOut(Schema):
    action: str = Field(..., description="Name to POST to /leave/{id}/{action}")
    label: str


class LeaveActionsOut(Schema):
    id: int
    status: str
    actions: list[LeaveActionOut] = Field(
        ..., description="What the caller may do now (the leave state machine)"
    )


class CalendarLeaveOut(Schema):
    id: int
    kind: str | None = Field(
        ..., description="Only for people the caller manages (and themself); otherwise null"
    )
    status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class CalendarRowOut(Schema):
    user: PersonOut
    department_id: int | None
    leaves: list[CalendarLeaveOut]


class CalendarOut(Schema):
    center_id: int
    month: str
    first: datetime.date
    last: datetime.date
    rows: list[CalendarRowOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    # A stale decision (staffing.services.errors.StaleDecision) is a Conflict: 409.
    return service_refusal(error)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


@router.get("/mine", response=list[LeaveOut], summary="My leave requests, newest first")
@paginate(Pagination)
def mine(request: HttpRequest):
    return my_leaves(request.user).select_related("user")


@router.post(
    "/request", response={201: LeaveOut, **SERVICE_REFUSALS}, summary="Ask for leave for myself"
)
def request_leave(request: HttpRequest, payload: LeaveIn):
    try:
        leave = leave_request(
            actor=_user(request),
            kind=payload.kind.value,
            starts_at=_aware(payload.starts_at),
            ends_at=_aware(payload.ends_at),
            reason=payload.reason,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, leave)


@router.get("/pending", response=list[LeaveOut], summary="Requests waiting for my decision")
@paginate(Pagination)
def pending(request: HttpRequest):
    return leaves_to_decide(request.user).select_related("decided_by")


def _decided(leave: Leave) -> Leave:
    return Leave.objects.select_related("user", "decided_by").get(pk=leave.pk)


@router.post(
    "/{leave_id}/approve",
    response={200: LeaveOut, **SERVICE_REFUSALS},
    summary="Approve a leave request (body {} or with a note)",
)
def approve(request: HttpRequest, leave_id: int, payload: LeaveApproveIn):
    leave = access_leave(request.user, leave_id, for_write=True)
    # Only staff of the leave's center can be named (anyone else is "no such staff member").
    wanted = {row.user_id for row in payload.covers} | (
        {payload.cover_id} if payload.cover_id is not None else set()
    )
    people = {
        user.pk: user
        for user in User.objects.filter(pk__in=wanted, staff__center_id=leave.center_id)
    }
    missing = _("No such staff member in this center.")
    if any(row.user_id not in people for row in payload.covers):
        return _refused(ValidationError({"covers": [missing]}))
    if payload.cover_id is not None and payload.cover_id not in people:
        return _refused(ValidationError({"cover": [missing]}))
    try:
        leave_approve(
            actor=_user(request),
            leave=leave,
            note=payload.note,
            covers={row.post_id: people[row.user_id] for row in payload.covers},
            cover=people.get(payload.cover_id) if payload.cover_id is not None else None,
        )
    except ValidationError as error:
        return _refused(error)
    return _decided(leave)


@router.get(
    "/{leave_id}/cover",
    response=LeaveCoverOut,
    summary="Who will serve each post the leave touches, and the cover chosen",
)
def cover(request: HttpRequest, leave_id: int):
    leave = access_leave(request.user, leave_id)
    may_approve = any(
        row.action == LeaveAction.APPROVE for row in leave_actions(_user(request), leave)
    )
    return {
        "id": leave.pk,
        "status": leave.status,
        "working_days": leave.working_days,
        "needs_management": leave.needs_management,
        "posts": [
            {
                "post_id": row.post.pk,
                "post": str(row.post),
                "window_id": row.post.window_id,
                "serving": row.serving,
                "role": row.role,
                "needs_cover": row.needs_cover,
                "empty_at": row.empty_at,
                "chosen": row.chosen,
            }
            for row in leave_cover_plan(leave)
        ],
        "covers": [
            {
                "post_id": record.post_id,
                "post": str(record.post),
                "cover": record.cover_user,
                "reason": record.reason,
                "starts_at": record.starts_at,
                "ends_at": record.ends_at,
            }
            for record in chosen_covers(leave)
        ],
        "candidates": cover_candidates(leave) if may_approve else [],
    }


@router.get(
    "/{leave_id}/actions",
    response=LeaveActionsOut,
    summary="What I may do with a leave request now (approve, endorse, reject, cancel)",
)
def actions(request: HttpRequest, leave_id: int):
    leave = access_leave(request.user, leave_id)
    return {
        "id": leave.pk,
        "status": leave.status,
        "actions": [
            {"action": row.action, "label": str(LeaveAction(row.action).label)}
            for row in leave_actions(_user(request), leave)
        ],
    }


@router.post(
    "/{leave_id}/endorse",
    response={200: LeaveOut, **SERVICE_REFUSALS},
    summary="Endorse a leave of 2 working days or more for center management (window head)",
)
def endorse(request: HttpRequest, leave_id: int, payload: DecisionIn):
    leave = access_leave(request.user, leave_id, for_write=True)
    try:
        leave_endorse(actor=_user(request), leave=leave, note=payload.note)
    except ValidationError as error:
        return _refused(error)
    return _decided(leave)


@router.post(
    "/{leave_id}/reject",
    response={200: LeaveOut, **SERVICE_REFUSALS},
    summary="Reject a leave request (note needed)",
)
def reject(request: HttpRequest, leave_id: int, payload: DecisionIn):
    leave = access_leave(request.user, leave_id, for_write=True)
    try:
        leave_reject(actor=_user(request), leave=leave, note=payload.note)
    except ValidationError as error:
        return _refused(error)
    return _decided(leave)


@router.post(
    "/{leave_id}/cancel",
    response={200: LeaveOut, **SERVICE_REFUSALS},
    summary="Cancel my leave request",
)
def cancel(request: HttpRequest, leave_id: int):
    leave = access_leave(request.user, leave_id, for_write=True)
    try:
        leave_cancel(actor=_user(request), leave=leave)
    except ValidationError as error:
        return _refused(error)
    return _decided(leave)


@router.get(
    "/calendar",
    response=CalendarOut,
    summary="Team calendar: pending and approved leave of my center's (or department's) staff",
)
def calendar(request: HttpRequest, month: Code | None = None, center: Id | None = None):
    center_obj, department_id = access_team_calendar(request.user, center)
    today = timezone.localdate()
    year, month_number = today.year, today.month
    if month:
        try:
            year_text, month_text = month.split("-")
            year, month_number = int(year_text), int(month_text)
            datetime.date(year, month_number, 1)
        except ValueError:
            raise HttpError(422, "month must be YYYY-MM") from None
    staff = list(team_staff(center_obj, department_id)[:CALENDAR_ROWS_MAX])
    grid = team_calendar(center_obj, department_id, year, month_number, staff, viewer=request.user)
    rows = []
    for row in grid.rows:
        seen: dict[int, Leave] = {}
        for leave in row.days.values():
            seen.setdefault(leave.pk, leave)
        rows.append(
            {
                "user": row.staff.user,
                "department_id": row.staff.department_id,
                "leaves": [
                    {
                        "id": leave.pk,
                        # The kind only for those who manage the person (staffing queries).
                        "kind": leave.kind if row.shows_details(leave) else None,
                        "status": leave.status,
                        "starts_at": leave.starts_at,
                        "ends_at": leave.ends_at,
                    }
                    for leave in sorted(seen.values(), key=lambda leave: leave.starts_at)
                ],
            }
        )
    return {
        "center_id": center_obj.pk,
        "month": f"{year:04d}-{month_number:02d}",
        "first": grid.first,
        "last": grid.last,
        "rows": rows,
    }
