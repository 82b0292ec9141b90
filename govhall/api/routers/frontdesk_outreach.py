"""Service beyond the counter through the API (issue 21 item 6; seeds/002… 三(一)3, seeds/000…
篇1 六(四)): extended service after closing (延时服务), home visits (上门服务), key projects with
follow-up calls (跟踪服务) and the reassignment of an off-hours appointment whose named staff
member cannot serve. The same services as the workbench pages.

Who: as the pages (`govhall.frontdesk.access.outreach`); anything outside the caller's scope is
404 like a missing one. Errors (`govhall.api.schemas`): refused input → 422 with the fields; a
state in the way (already running, already ended, already done) → 409."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    ErrorOut,
    Id,
    Label,
    Line,
    LongName,
    PersonOut,
    Short,
    Text,
    TransitionOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.frontdesk.access.appointments import access_appointment, can_read_appointments
from govhall.frontdesk.access.outreach import (
    access_overtime,
    access_project,
    access_visit,
    can_read_overtime,
    can_use_outreach,
    overtimes_in_scope,
    projects_in_scope,
    visits_in_scope,
)
from govhall.frontdesk.access.tickets import access_queue_window, can_use_console
from govhall.frontdesk.models import FollowUp, HomeVisit, KeyProject, Overtime, VisitStatus
from govhall.frontdesk.queries.outreach import overtime_month, projects_listed, visits_listed
from govhall.frontdesk.services.appointment_reassign import appointment_reassign
from govhall.frontdesk.services.follow_ups import follow_up_log, key_project_create
from govhall.frontdesk.services.home_visits import (
    home_visit_book,
    home_visit_cancel,
    home_visit_personal_data_view_record,
    home_visit_record_result,
    home_visit_schedule,
)
from govhall.frontdesk.services.outreach_rules import visit_actions
from govhall.frontdesk.services.overtime import overtime_end, overtime_start
from govhall.frontdesk.visit_transitions import VisitAction
from govhall.org.access.scope import departments_in_scope, scope_of

router = Router(auth=SESSION_OR_TOKEN)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _need(request: HttpRequest, allowed: object) -> User:
    user = _user(request)
    if not callable(allowed) or not allowed(user):
        raise Http404
    return user


# --- 延时服务 -----------------------------------------------------------------------------------


class OvertimeOut(Schema):
    id: int
    window_id: int
    window_number: int
    day: datetime.date
    closing_time: datetime.time
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = Field(None, description="null: still running")
    minutes: int = Field(..., description="Minutes from the closing time to the end")
    tickets_served: int
    staff: list[PersonOut]

    @staticmethod
    def resolve_window_number(obj: Overtime) -> int:
        return obj.window.number

    @staticmethod
    def resolve_staff(obj: Overtime) -> list[User]:
        return list(obj.staff.all())


class OvertimeTotalOut(Schema):
    person: PersonOut
    times: int
    minutes: int
    tickets_served: int


class WindowTotalOut(Schema):
    window_id: int
    window_number: int
    times: int
    minutes: int
    tickets_served: int


class OvertimeMonthOut(Schema):
    month: str
    total_minutes: int
    total_tickets: int
    records: list[OvertimeOut]
    per_person: list[OvertimeTotalOut]
    per_window: list[WindowTotalOut]


@router.get(
    "/overtime",
    response={200: OvertimeMonthOut, 422: ErrorOut},
    summary="Extended service of a month, with totals per person and per window",
)
def overtime(request: HttpRequest, month: Short = Query("", description="YYYY-MM; default now")):
    user = _need(request, can_read_overtime)
    try:
        first = (
            datetime.date.fromisoformat(f"{month}-01")
            if month
            else timezone.localdate().replace(day=1)
        )
    except ValueError:
        return field_refusal("month", _("Enter a month as YYYY-MM."))
    report = overtime_month(overtimes_in_scope(user), first)
    return {
        "month": first.strftime("%Y-%m"),
        "total_minutes": report.total_minutes,
        "total_tickets": report.total_tickets,
        "records": report.records,
        "per_person": [
            {"person": p, "times": t, "minutes": m, "tickets_served": s}
            for p, t, m, s in report.per_person
        ],
        "per_window": [
            {
                "window_id": w.pk,
                "window_number": w.number,
                "times": t,
                "minutes": m,
                "tickets_served": s,
            }
            for w, t, m, s in report.per_window
        ],
    }


@router.post(
    "/windows/{window_id}/finish-line",
    response={201: OvertimeOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Start extended service at a window after closing (延时服务)",
    description="Only at or after closing on a working day with people still waiting in the "
    "window's line (422 otherwise); already running: 409.",
)
def finish_line(request: HttpRequest, window_id: Id):
    user = _need(request, can_use_console)
    window = access_queue_window(user, window_id)
    try:
        started = overtime_start(actor=user, window=window)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, started)


@router.post(
    "/overtime/{overtime_id}/end",
    response={200: OvertimeOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="End extended service by hand",
)
def end_overtime(request: HttpRequest, overtime_id: Id):
    user = _need(request, can_use_console)
    try:
        return overtime_end(actor=user, overtime=access_overtime(user, overtime_id))
    except ValidationError as error:
        return service_refusal(error)


# --- 上门服务 -----------------------------------------------------------------------------------


class HomeVisitOut(Schema):
    id: int
    department_id: int
    person_name: str = Field(..., description="Masked in lists")
    phone: str = Field(..., description="Masked in lists")
    id_number: str = Field(..., description="Masked in lists; may be empty")
    address: str
    reason: str
    matter: str
    requested_date: datetime.date
    scheduled_for: datetime.datetime | None
    assigned: list[PersonOut]
    status: str
    status_label: str
    result: str

    @staticmethod
    def resolve_assigned(obj: HomeVisit) -> list[User]:
        return list(obj.assigned.all())

    @staticmethod
    def resolve_status_label(obj: HomeVisit) -> str:
        return str(VisitStatus(obj.status).label)


class VisitDetailOut(HomeVisitOut):
    actions: list[TransitionOut]


def _masked(visit: HomeVisit) -> HomeVisit:
    visit.person_name = visit.masked_name
    visit.phone = visit.masked_phone
    visit.id_number = visit.masked_id
    return visit


def _detail(user: User, visit: HomeVisit) -> HomeVisit:
    """The visit in full (the view is logged) with the actions `user` may take now."""
    home_visit_personal_data_view_record(actor=user, visit=visit, purpose="API")
    visit.actions = [  # type: ignore[attr-defined]
        {"action": row.action, "label": str(VisitAction(row.action).label)}
        for row in visit_actions(user, visit)
    ]
    return visit


class HomeVisitIn(Schema):
    department: Id
    person_name: LongName
    id_number: Short = ""
    phone: Short
    address: Line
    reason: Short = Field(..., description="elderly, disabled, key_project or other")
    matter: Label
    requested_date: datetime.date


class ScheduleIn(Schema):
    assigned: list[Id] = Field(..., description="User ids of the staff who go")
    scheduled_for: datetime.datetime


class ResultIn(Schema):
    result: Text


class CancelIn(Schema):
    reason: Label


@router.get(
    "/home-visits", response=list[HomeVisitOut], summary="Home visits (personal data masked)"
)
def visits(request: HttpRequest, status: Short = Query("", description="one status")):
    user = _need(request, can_use_outreach)
    return [_masked(v) for v in visits_listed(visits_in_scope(user), status)[:300]]


@router.post(
    "/home-visits",
    response={201: VisitDetailOut, **SERVICE_REFUSALS},
    summary="Book a home visit",
)
def book_visit(request: HttpRequest, payload: HomeVisitIn):
    user = _need(request, can_use_outreach)
    center = scope_of(user).root
    department = departments_in_scope(user).filter(pk=payload.department).first()
    if center is None or department is None:
        return field_refusal("department", _("Choose a department of this center."))
    data = payload.dict()
    data.pop("department")
    try:
        visit = home_visit_book(actor=user, center=center, department=department, **data)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, _detail(user, access_visit(user, visit.pk)))


@router.get(
    "/home-visits/{visit_id}",
    response={200: VisitDetailOut, 404: ErrorOut},
    summary="One home visit, in full (the view is logged)",
)
def visit(request: HttpRequest, visit_id: Id):
    user = _user(request)
    return _detail(user, access_visit(user, visit_id))


@router.post(
    "/home-visits/{visit_id}/schedule",
    response={200: VisitDetailOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Name who goes and when (the department's leader or the director)",
)
def schedule_visit(request: HttpRequest, visit_id: Id, payload: ScheduleIn):
    user = _user(request)
    found = access_visit(user, visit_id, for_write=True)
    people = list(User.objects.filter(pk__in=payload.assigned))
    if len(people) != len(set(payload.assigned)):
        return field_refusal("assigned", _("The staff member must work in this center."))
    moment = payload.scheduled_for
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    try:
        home_visit_schedule(actor=user, visit=found, assigned=people, scheduled_for=moment)
    except ValidationError as error:
        return service_refusal(error)
    return _detail(user, access_visit(user, visit_id))


@router.post(
    "/home-visits/{visit_id}/result",
    response={200: VisitDetailOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Record the result (done)",
)
def visit_result(request: HttpRequest, visit_id: Id, payload: ResultIn):
    user = _user(request)
    found = access_visit(user, visit_id, for_write=True)
    try:
        home_visit_record_result(actor=user, visit=found, result=payload.result)
    except ValidationError as error:
        return service_refusal(error)
    return _detail(user, access_visit(user, visit_id))


@router.post(
    "/home-visits/{visit_id}/cancel",
    response={200: VisitDetailOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Cancel a visit",
)
def visit_cancel(request: HttpRequest, visit_id: Id, payload: CancelIn):
    user = _user(request)
    found = access_visit(user, visit_id, for_write=True)
    try:
        home_visit_cancel(actor=user, visit=found, reason=payload.reason)
    except ValidationError as error:
        return service_refusal(error)
    return _detail(user, access_visit(user, visit_id))


# --- 跟踪服务 -----------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    department_id: int
    name: str
    enterprise: str
    contact_name: str
    contact_phone: str = Field(..., description="Masked")
    next_call_due: datetime.date | None = Field(None, description="null: follow-up over")
    is_active: bool

    @staticmethod
    def resolve_contact_phone(obj: KeyProject) -> str:
        return obj.masked_phone


class ProjectIn(Schema):
    department: Id
    name: Label
    enterprise: Label
    contact_name: LongName
    contact_phone: Short
    next_call_due: datetime.date | None = None


class CallIn(Schema):
    called_on: datetime.date
    summary: Text
    next_due: datetime.date | None = Field(None, description="null ends the follow-up")


class CallOut(Schema):
    id: int
    called_on: datetime.date
    called_by: PersonOut
    summary: str
    next_due: datetime.date | None


@router.get("/key-projects", response=list[ProjectOut], summary="Key projects followed")
def projects(request: HttpRequest, due: bool = Query(False, description="only calls due")):
    user = _need(request, can_use_outreach)
    due_by = timezone.localdate() if due else None
    return list(projects_listed(projects_in_scope(user), due_by=due_by)[:300])


@router.post(
    "/key-projects",
    response={201: ProjectOut, **SERVICE_REFUSALS},
    summary="Add a key project to follow",
)
def add_project(request: HttpRequest, payload: ProjectIn):
    user = _need(request, can_use_outreach)
    center = scope_of(user).root
    department = departments_in_scope(user).filter(pk=payload.department).first()
    if center is None or department is None:
        return field_refusal("department", _("Choose a department of this center."))
    data = payload.dict()
    data.pop("department")
    try:
        made = key_project_create(actor=user, center=center, department=department, **data)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, made)


@router.get(
    "/key-projects/{project_id}/calls",
    response={200: list[CallOut], 404: ErrorOut},
    summary="The follow-up calls of a key project",
)
def calls(request: HttpRequest, project_id: Id):
    user = _need(request, can_use_outreach)
    project = access_project(user, project_id)
    return list(FollowUp.objects.filter(project=project).select_related("called_by"))


@router.post(
    "/key-projects/{project_id}/calls",
    response={201: CallOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Log a follow-up call",
)
def log_call(request: HttpRequest, project_id: Id, payload: CallIn):
    user = _need(request, can_use_outreach)
    project = access_project(user, project_id, for_write=True)
    try:
        return Status(201, follow_up_log(actor=user, project=project, **payload.dict()))
    except ValidationError as error:
        return service_refusal(error)


# --- reassigning an off-hours appointment -------------------------------------------------------


class ReassignIn(Schema):
    to: Id = Field(..., description="User id of the staff member who serves it instead")


class ReassignOut(Schema):
    id: int
    code: str
    assigned_to: PersonOut


@router.post(
    "/appointments/{appointment_id}/reassign",
    response={200: ReassignOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Give an off-hours appointment whose named staff member cannot serve to another",
    description="The leader of the named staff member's department or the center's director; "
    "the named person must be on leave that day, gone from the post or have said they cannot "
    "serve (409 otherwise); the new person must be of the same department and free that day.",
)
def reassign(request: HttpRequest, appointment_id: Id, payload: ReassignIn):
    user = _need(request, can_read_appointments)
    appointment = access_appointment(user, appointment_id, for_write=True)
    to = User.objects.filter(pk=payload.to).first()
    try:
        return appointment_reassign(actor=user, appointment=appointment, to=to)
    except ValidationError as error:
        return service_refusal(error)
