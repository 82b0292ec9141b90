"""Rosters and window-staff rules API (issue 5 items 5 and 6), scoped to the logged-in user.

The same services and queries as the workbench. Errors (`govhall.api.schemas.service_refusal`):
refused input or a refused change → 422 with the messages by field; objects outside the caller's
scope → 404, like missing ones.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    Id,
    Label,
    Line,
    PersonOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import (
    access_center,
    access_department,
    access_post,
    access_window,
)
from govhall.org.access.scope import can_read_staff, departments_in_scope, scope_of, staff_in_scope
from govhall.org.models import Staff
from govhall.staffing.access.assignments import access_return_person, can_see_return_warnings
from govhall.staffing.access.rosters import access_duty
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.models.roster import DutyAssignment
from govhall.staffing.queries.assignments import assignments_of, return_warnings
from govhall.staffing.queries.rosters import (
    MIN_LEADER_VISITS_PER_MONTH,
    leader_visit_check,
    roster_month,
    visits_ok,
)
from govhall.staffing.services.assignments import (
    assignment_start,
    return_decide,
    staff_fact_record,
)
from govhall.staffing.services.posts import post_staff_change
from govhall.staffing.services.rosters import duty_assign, duty_remove, leader_visit_record

router = Router(auth=django_auth)

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class DutyOut(Schema):
    id: int
    date: datetime.date
    kind: str
    user: PersonOut
    window_id: int | None


class RosterDayOut(Schema):
    date: datetime.date
    is_workday: bool
    lunch: list[DutyOut]
    leader: list[DutyOut]


class RosterOut(Schema):
    center_id: int
    month: str
    days: list[RosterDayOut]


class DutyIn(Schema):
    center: Id
    date: datetime.date
    kind: Code
    user: Id
    window: Id | None = None


class VisitCheckOut(Schema):
    department_id: int
    department: str
    visits: int
    ok: bool


class VisitCheckListOut(Schema):
    center_id: int
    month: str
    minimum: int
    departments: list[VisitCheckOut]


class VisitIn(Schema):
    department: Id
    visited_at: datetime.datetime
    note: Line = ""
    leader: Id | None = None


class VisitOut(Schema):
    id: int
    department_id: int
    leader: PersonOut
    visited_at: datetime.datetime
    note: str


class AssignmentOut(Schema):
    id: int
    department_id: int
    department: str
    window_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    trial_ends_on: datetime.date
    override_reason: str


class AssignmentIn(Schema):
    user: Id
    department: Id
    window: Id | None = None
    starts_on: datetime.date
    override_reason: Line = ""


class FactOut(Schema):
    kind: str
    occurred_on: datetime.date
    source: str
    note: str


class ReturnWarningOut(Schema):
    user: PersonOut
    reasons: list[str]
    counts: dict[str, int]
    facts: list[FactOut]


class StaffFactIn(Schema):
    user: Id
    kind: Code
    occurred_on: datetime.date
    source: Label = ""
    note: Line = ""


class ReturnDecisionIn(Schema):
    user: Id
    note: Line = ""


class ReturnDecisionOut(Schema):
    id: int
    user_id: int
    department_id: int | None
    assignment_id: int | None
    decided_on: datetime.date
    reasons: list[str]


class PostStaffIn(Schema):
    a_staff: Id | None = None
    b_staff: Id | None = None
    starts_on: datetime.date | None = None
    override_reason: Line = ""


class PostStaffOut(Schema):
    id: int
    a_staff_id: int | None
    b_staff_id: int | None


class StaffFactOut(Schema):
    id: int
    user_id: int
    kind: str
    occurred_on: datetime.date


def _person(user: User) -> PersonOut:
    return PersonOut(id=user.pk, username=user.username, name=user.display_name)


def _duty(duty: DutyAssignment) -> DutyOut:
    return DutyOut(
        id=duty.pk,
        date=duty.date,
        kind=duty.kind,
        user=_person(duty.user),
        window_id=duty.window_id,
    )


def _month(raw: str | None) -> tuple[int, int]:
    if not raw:
        today = timezone.localdate()
        return today.year, today.month
    match = MONTH_PATTERN.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise HttpError(422, _("month: give the month as YYYY-MM."))
    return int(match.group(1)), int(match.group(2))


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    return service_refusal(error)


def _staff_user(request: HttpRequest, user_id: int) -> User:
    """A staff member's user the caller may read; 404 otherwise."""
    staff = staff_in_scope(request.user).select_related("user").filter(user_id=user_id).first()
    if staff is None:
        raise Http404
    return staff.user


def _manager(request: HttpRequest) -> User:
    if not scope_of(request.user).can_manage:
        raise Http404
    assert isinstance(request.user, User)
    return request.user


@router.get("roster", response=RosterOut, summary="Lunch duty and leader on duty of a month")
def roster(request: HttpRequest, center: Id, month: Code | None = None) -> RosterOut:
    hall = access_center(request.user, center)
    year, number = _month(month)
    days = roster_month(hall, year, number)
    return RosterOut(
        center_id=hall.pk,
        month=f"{year}-{number:02d}",
        days=[
            RosterDayOut(
                date=day.date,
                is_workday=day.is_workday,
                lunch=[_duty(d) for d in day.lunch],
                leader=[_duty(d) for d in day.leader],
            )
            for day in days
        ],
    )


@router.post(
    "duty",
    response={201: DutyOut, **SERVICE_REFUSALS},
    summary="Put a staff member on duty (managers)",
)
def duty_create(request: HttpRequest, payload: DutyIn) -> Status[Any]:
    actor = _manager(request)
    hall = access_center(actor, payload.center, for_write=True)
    user = Staff.objects.select_related("user").filter(user_id=payload.user).first()
    if user is None:
        return field_refusal("user", _("user: there is no such staff member."))
    window = access_window(actor, payload.window) if payload.window else None
    try:
        duty = duty_assign(
            actor=actor,
            center=hall,
            date=payload.date,
            kind=payload.kind,
            user=user.user,
            window=window,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _duty(duty))


@router.delete(
    "duty/{duty_id}",
    response={204: None, **SERVICE_REFUSALS},
    summary="Take a duty off the roster",
)
def duty_delete(request: HttpRequest, duty_id: int) -> Status[Any]:
    actor = _manager(request)
    duty = access_duty(actor, duty_id, for_write=True)
    try:
        duty_remove(actor=actor, duty=duty)
    except ValidationError as error:
        return _refused(error)
    return Status(204, None)


@router.get(
    "visits/check", response=VisitCheckListOut, summary="Department leader visits in a month"
)
def visits_check(request: HttpRequest, center: Id, month: Code | None = None) -> VisitCheckListOut:
    hall = access_center(request.user, center)
    year, number = _month(month)
    rows = leader_visit_check(departments_in_scope(request.user).filter(center=hall), year, number)
    return VisitCheckListOut(
        center_id=hall.pk,
        month=f"{year}-{number:02d}",
        minimum=MIN_LEADER_VISITS_PER_MONTH,
        departments=[
            VisitCheckOut(
                department_id=d.pk,
                department=d.name,
                visits=d.visit_count,  # type: ignore[attr-defined]
                ok=visits_ok(d),
            )
            for d in rows
        ],
    )


@router.post(
    "visits",
    response={201: VisitOut, **SERVICE_REFUSALS},
    summary="Record a department leader's visit (the leader, or a manager for them)",
)
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[Any]:
    assert isinstance(request.user, User)
    department = access_department(request.user, payload.department)
    leader = None
    if payload.leader is not None:
        leader = User.objects.filter(
            pk=payload.leader, staff__center_id=department.center_id
        ).first()
        if leader is None:
            return field_refusal("leader", _("leader: there is no such staff member."))
    try:
        visit = leader_visit_record(
            actor=request.user,
            department=department,
            visited_at=payload.visited_at,
            note=payload.note,
            leader=leader,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(
        201,
        VisitOut(
            id=visit.pk,
            department_id=department.pk,
            leader=_person(visit.leader),
            visited_at=visit.visited_at,
            note=visit.note,
        ),
    )


@router.get("assignments", response=list[AssignmentOut], summary="Assignment history of a person")
def assignments(request: HttpRequest, user: Id) -> list[AssignmentOut]:
    if not can_read_staff(request.user):
        raise Http404
    person = _staff_user(request, user)
    return [
        AssignmentOut(
            id=a.pk,
            department_id=a.department_id,
            department=a.department.name,
            window_id=a.window_id,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            trial_ends_on=a.trial_ends_on,
            override_reason=a.override_reason,
        )
        for a in assignments_of(person)
    ]


@router.post(
    "assignment",
    response={201: AssignmentOut, **SERVICE_REFUSALS},
    summary="Change a person's window assignment (managers)",
)
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Status[Any]:
    actor = _manager(request)
    person = _staff_user(request, payload.user)
    department = access_department(actor, payload.department, for_write=True)
    window = access_window(actor, payload.window) if payload.window else None
    try:
        a = assignment_start(
            actor=actor,
            user=person,
            department=department,
            window=window,
            starts_on=payload.starts_on,
            override_reason=payload.override_reason,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(
        201,
        AssignmentOut(
            id=a.pk,
            department_id=a.department_id,
            department=department.name,
            window_id=a.window_id,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            trial_ends_on=a.trial_ends_on,
            override_reason=a.override_reason,
        ),
    )


@router.get(
    "return-warnings",
    response=list[ReturnWarningOut],
    summary="Staff due to be returned to their department (managers, supervisors)",
)
def warnings(request: HttpRequest, center: Id) -> list[ReturnWarningOut]:
    if not can_see_return_warnings(request.user):
        raise Http404
    hall = access_center(request.user, center)
    return [
        ReturnWarningOut(
            user=_person(w.user),
            reasons=w.reasons,
            counts=w.counts,
            facts=[
                FactOut(kind=f.kind, occurred_on=f.occurred_on, source=f.source, note=f.note)
                for f in w.facts
            ],
        )
        for w in return_warnings(hall, timezone.localdate())
    ]


@router.post(
    "staff-fact",
    response={201: StaffFactOut, **SERVICE_REFUSALS},
    summary="Record a fact for the return-to-department rule (managers)",
)
def staff_fact(request: HttpRequest, payload: StaffFactIn) -> Status[Any]:
    actor = _manager(request)
    person = _staff_user(request, payload.user)
    if payload.kind == StaffFactKind.FAILED_ANNUAL_ASSESSMENT:
        # Recorded by the assessment's year close from the published sheets (issue 14 item 7).
        return field_refusal(
            "kind", _("A failed annual assessment is recorded by closing the assessment year.")
        )
    try:
        fact = staff_fact_record(
            actor=actor,
            user=person,
            kind=payload.kind,
            occurred_on=payload.occurred_on,
            source=payload.source,
            note=payload.note,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(
        201,
        StaffFactOut(
            id=fact.pk, user_id=fact.user_id, kind=fact.kind, occurred_on=fact.occurred_on
        ),
    )


@router.post(
    "return-decision",
    response={201: ReturnDecisionOut, **SERVICE_REFUSALS},
    summary="Return a person due for return to their department (managers, issue 16)",
)
def return_decision(request: HttpRequest, payload: ReturnDecisionIn) -> Status[Any]:
    actor = _manager(request)
    staff = access_return_person(actor, payload.user)
    try:
        decision = return_decide(actor=actor, user=staff.user, note=payload.note)
    except ValidationError as error:
        return _refused(error)
    return Status(
        201,
        ReturnDecisionOut(
            id=decision.pk,
            user_id=decision.user_id,
            department_id=decision.department_id,
            assignment_id=decision.assignment_id,
            decided_on=decision.decided_on,
            reasons=decision.reasons.splitlines(),
        ),
    )


@router.put(
    "posts/{post_id}/staff",
    response={200: PostStaffOut, **SERVICE_REFUSALS},
    summary="Change a post's A and B staff under the window-staff rules (managers, issue 16)",
)
def post_staff(request: HttpRequest, post_id: int, payload: PostStaffIn) -> Status[Any]:
    actor = _manager(request)
    post = access_post(actor, post_id, for_write=True)
    a_staff = _staff_user(request, payload.a_staff) if payload.a_staff else None
    b_staff = _staff_user(request, payload.b_staff) if payload.b_staff else None
    try:
        post_staff_change(
            actor=actor,
            post=post,
            a_staff=a_staff,
            b_staff=b_staff,
            starts_on=payload.starts_on,
            override_reason=payload.override_reason,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(
        200, PostStaffOut(id=post.pk, a_staff_id=post.a_staff_id, b_staff_id=post.b_staff_id)
    )
