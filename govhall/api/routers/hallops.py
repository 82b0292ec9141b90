"""Joint meetings and emergencies API (issue 21 item 4; seeds/000… 篇3 四 驻厅单位联席会议,
seeds/002… 六6 突发事件).

Meetings of the stationed departments (plan, hold, record attendance, minutes, decisions,
publish), the open decisions (mark done, drop), a center's emergency plan in force, and the
log of incidents and drills. Hall management of the center's subtree writes; department leaders
and supervisors read, and a department leader marks their own department's decisions done.
Errors (`govhall.api.schemas`): an object the caller may not see or act on → 404; refused input
→ 422 with the fields; a state that stands in the way (publishing twice, a closed decision) → 409.
"""

import datetime

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
    Code,
    Line,
    Pagination,
    PersonOut,
    TransitionOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.hallops.access.hallops import (
    access_decision,
    access_meeting,
    can_read_hallops,
    decisions_in_scope,
    events_in_scope,
    meetings_in_scope,
    plans_in_scope,
)
from govhall.hallops.models import DecisionStatus, JointMeeting, MeetingDecision
from govhall.hallops.queries.hallops import center_plan
from govhall.hallops.services.emergencies import emergency_record
from govhall.hallops.services.meetings import (
    AttendanceDraft,
    decision_act,
    decision_actions,
    decision_add,
    meeting_act,
    meeting_actions,
    meeting_attendance_save,
    meeting_minutes_save,
    meeting_plan,
)
from govhall.org.access.lookups import access_center
from govhall.org.models import Department

router = Router(auth=django_auth)


class MeetingAttendanceOut(Schema):
    department_id: int
    department_name: str = Field(..., alias="department.name")
    attendee_name: str
    presence: str = Field(..., description='"present", "excused" or "absent"')


class DecisionOut(Schema):
    id: int
    meeting_id: int
    text: str
    department_id: int
    due_on: datetime.date
    status: str = Field(..., description='"open", "done" or "dropped"')
    overdue: bool
    note: str
    closed_by: PersonOut | None
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_overdue(obj: MeetingDecision) -> bool:
        return obj.status == DecisionStatus.OPEN and obj.due_on < timezone.localdate()


class MeetingOut(Schema):
    id: int
    center_id: int
    held_at: datetime.datetime
    place: str
    chair: PersonOut | None
    status: str = Field(..., description='"planned", "held", "published" or "cancelled"')
    published_at: datetime.datetime | None


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    attendance: list[MeetingAttendanceOut]
    decisions: list[DecisionOut]
    actions: list[TransitionOut]


class MeetingIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    held_at: datetime.datetime
    place: str = Field(..., max_length=100)
    agenda: str = Field(..., max_length=5000)
    chair_id: int | None = Field(None, ge=1, le=BIGINT_MAX)


class HallopsActionIn(Schema):
    action: Code


class AttendanceRowIn(Schema):
    department_id: int = Field(..., ge=1, le=BIGINT_MAX)
    presence: Code
    attendee_name: str = Field("", max_length=50)


class AttendanceIn(Schema):
    rows: list[AttendanceRowIn] = Field(..., max_length=200)


class MinutesIn(Schema):
    minutes: str = Field(..., max_length=20000)


class MeetingDecisionIn(Schema):
    text: str = Field(..., max_length=500)
    department_id: int = Field(..., ge=1, le=BIGINT_MAX)
    due_on: datetime.date


class DecisionActIn(Schema):
    action: Code = Field(..., description='"done" or "drop" (a drop needs a note)')
    note: Line = ""


class SectionOut(Schema):
    kind: str = Field(..., description='"outage", "crowding", "conflict" or "illness"')
    kind_label: str
    measures: str
    phone: str
    duty_people: list[PersonOut]


class PlanOut(Schema):
    id: int
    center_id: int
    revision: int
    published_at: datetime.datetime | None
    sections: list[SectionOut]


class EmergencyOut(Schema):
    id: int
    center_id: int
    kind: str = Field(..., description='"outage", "crowding", "conflict", "illness" or "other"')
    is_drill: bool
    status: str = Field(..., description='"planned", "recorded" or "cancelled"')
    planned_for: datetime.datetime | None
    occurred_at: datetime.datetime | None
    what_happened: str
    actions_taken: str
    people_involved: str
    outcome: str


class EmergencyIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    kind: Code
    is_drill: bool = False
    occurred_at: datetime.datetime
    what_happened: str = Field(..., max_length=5000)
    actions_taken: str = Field(..., max_length=5000)
    people_involved: Line = ""
    outcome: str = Field("", max_length=5000)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _need_reader(request: HttpRequest) -> None:
    if not can_read_hallops(request.user):
        raise HttpError(404, _("Not found."))


def _detail(request: HttpRequest, meeting: JointMeeting) -> dict[str, object]:
    user = _user(request)
    return {
        **MeetingOut.from_orm(meeting).dict(),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attendance": list(meeting.attendance.select_related("department")),
        "decisions": list(meeting.decisions.select_related("closed_by").order_by("due_on", "id")),
        "actions": [
            {"action": action, "label": label} for action, label in meeting_actions(user, meeting)
        ],
    }


@router.get("/meetings", response=list[MeetingOut], summary="Joint meetings in your scope")
@paginate(Pagination)
def meetings(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    _need_reader(request)
    found = meetings_in_scope(request.user).select_related("chair")
    if center is not None:
        found = found.filter(center=access_center(request.user, center))
    return found.order_by("-held_at", "-id")


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="One joint meeting")
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, object]:
    return _detail(request, access_meeting(request.user, meeting_id))


@router.post("/meetings", response={201: MeetingOut, **SERVICE_REFUSALS}, summary="Plan a meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    center = access_center(request.user, payload.center_id)
    chair = None
    if payload.chair_id is not None:
        chair = User.objects.filter(pk=payload.chair_id).first()
        if chair is None:
            return field_refusal(
                "chair_id", _("The chair must be a member of this center's staff.")
            )
    try:
        meeting = meeting_plan(
            actor=_user(request),
            center=center,
            held_at=payload.held_at,
            place=payload.place,
            agenda=payload.agenda,
            chair=chair,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, meeting)


@router.post(
    "/meetings/{meeting_id}/actions",
    response={200: MeetingOut, **SERVICE_REFUSALS},
    summary="Hold, cancel or publish the minutes of a meeting",
)
def meeting_action(request: HttpRequest, meeting_id: int, payload: HallopsActionIn):
    meeting = access_meeting(request.user, meeting_id, for_write=True)
    try:
        return meeting_act(actor=_user(request), meeting=meeting, action=payload.action)
    except ValidationError as error:
        return service_refusal(error)


@router.put(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingDetailOut, **SERVICE_REFUSALS},
    summary="Record who came for each stationed department",
)
def meeting_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn):
    meeting = access_meeting(request.user, meeting_id, for_write=True)
    rows = [AttendanceDraft(r.department_id, r.presence, r.attendee_name) for r in payload.rows]
    try:
        meeting_attendance_save(actor=_user(request), meeting=meeting, rows=rows)
    except ValidationError as error:
        return service_refusal(error)
    return _detail(request, access_meeting(request.user, meeting_id))


@router.put(
    "/meetings/{meeting_id}/minutes",
    response={200: MeetingOut, **SERVICE_REFUSALS},
    summary="Write the minutes of a held meeting",
)
def meeting_minutes(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    meeting = access_meeting(request.user, meeting_id, for_write=True)
    try:
        return meeting_minutes_save(actor=_user(request), meeting=meeting, minutes=payload.minutes)
    except ValidationError as error:
        return service_refusal(error)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **SERVICE_REFUSALS},
    summary="Add a decision of a held meeting",
)
def meeting_decision(request: HttpRequest, meeting_id: int, payload: MeetingDecisionIn):
    meeting = access_meeting(request.user, meeting_id, for_write=True)
    department = Department.objects.filter(pk=payload.department_id).first()
    try:
        decision = decision_add(
            actor=_user(request),
            meeting=meeting,
            text=payload.text,
            department=department,
            due_on=payload.due_on,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, decision)


@router.get("/decisions", response=list[DecisionOut], summary="Meeting decisions in your scope")
@paginate(Pagination)
def decisions(
    request: HttpRequest,
    status: str | None = Query(None, pattern="^(open|done|dropped)$"),
    overdue: bool = False,
):
    _need_reader(request)
    found = decisions_in_scope(request.user).select_related("closed_by")
    if status is not None:
        found = found.filter(status=status)
    if overdue:
        found = found.filter(status=DecisionStatus.OPEN, due_on__lt=timezone.localdate())
    return found.order_by("due_on", "id")


@router.get(
    "/decisions/{decision_id}/actions",
    response=list[TransitionOut],
    summary="What you may do on a decision now",
)
def decision_transitions(request: HttpRequest, decision_id: int) -> list[dict[str, str]]:
    decision = access_decision(request.user, decision_id)
    return [
        {"action": action, "label": label}
        for action, label in decision_actions(_user(request), decision)
    ]


@router.post(
    "/decisions/{decision_id}/actions",
    response={200: DecisionOut, **SERVICE_REFUSALS},
    summary="Mark a decision done, or drop it with a note",
)
def decision_action(request: HttpRequest, decision_id: int, payload: DecisionActIn):
    decision = access_decision(request.user, decision_id, for_write=True)
    try:
        return decision_act(
            actor=_user(request), decision=decision, action=payload.action, note=payload.note
        )
    except ValidationError as error:
        return service_refusal(error)


@router.get("/plan", response=PlanOut, summary="The emergency plan in force of a center")
def plan(request: HttpRequest, center: int = Query(..., ge=1, le=BIGINT_MAX)) -> dict[str, object]:
    _need_reader(request)
    found = access_center(request.user, center)
    current = center_plan(plans_in_scope(request.user), found.pk)
    if current.current is None:
        raise HttpError(404, _("This center has no emergency plan in force yet."))
    return {
        "id": current.current.pk,
        "center_id": found.pk,
        "revision": current.current.revision,
        "published_at": current.current.published_at,
        "sections": [
            {
                "kind": section.kind,
                "kind_label": str(section.get_kind_display()),
                "measures": section.measures,
                "phone": section.phone,
                "duty_people": list(section.duty_people.all()),
            }
            for section in current.current_sections
        ],
    }


@router.get("/events", response=list[EmergencyOut], summary="Incidents and drills in your scope")
@paginate(Pagination)
def events(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    drills: bool | None = None,
):
    _need_reader(request)
    found = events_in_scope(request.user)
    if center is not None:
        found = found.filter(center=access_center(request.user, center))
    if drills is not None:
        found = found.filter(is_drill=drills)
    return found.order_by("-occurred_at", "-planned_for", "-id")


@router.post(
    "/events",
    response={201: EmergencyOut, **SERVICE_REFUSALS},
    summary="Record an incident or a drill as it happened",
)
def event_create(request: HttpRequest, payload: EmergencyIn):
    center = access_center(request.user, payload.center_id)
    try:
        event = emergency_record(
            actor=_user(request),
            center=center,
            kind=payload.kind,
            is_drill=payload.is_drill,
            occurred_at=payload.occurred_at,
            what_happened=payload.what_happened,
            actions_taken=payload.actions_taken,
            people_involved=payload.people_involved,
            outcome=payload.outcome,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, event)
