"""Study and training API (issue 21 item 2): study sessions with the cadence, planning one, the
register, the notes and the archive; trainings with participants and results.

The hall's management of a center plans and keeps its sessions and records its trainings
(`govhall.staffing.access.learning`); anyone else reads the sessions whose register lists them
and the trainings they took part in. Errors (`govhall.api.schemas`): a session or training the
caller may not see → 404; refused input → 422 with the fields (a session shorter than
GOVHALL_STUDY_MIN_HOURS, a person not expected); an archived session, a register marked before
the session, an archive with people unmarked or no notes → 409."""

import datetime
from decimal import Decimal

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
    Text,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.staffing.access.learning import (
    access_study_session,
    access_training,
    can_run_learning,
    can_run_learning_at,
    can_see_own_learning,
    study_sessions_in_scope,
    trainings_in_scope,
)
from govhall.staffing.models.learning import StudySession, TrainingEvent
from govhall.staffing.queries.learning import register_rows, study_cadence
from govhall.staffing.services.learning import (
    allowed_study_actions,
    study_notes_record,
    study_register_mark,
    study_session_archive,
    study_session_plan,
    training_event_record,
    training_participation_record,
)

router = Router(auth=django_auth)


class StudySessionOut(Schema):
    id: int
    center_id: int
    held_on: datetime.date
    starts: datetime.time
    ends: datetime.time
    place: str
    topic: str
    plan: str
    host: str
    discussion_notes: str
    archived_at: datetime.datetime | None


class RegisterLineOut(Schema):
    person: PersonOut
    mark: str = Field(..., description='"present", "excused", "absent" or "" (not marked yet)')
    note: str
    expected: bool


class StudySessionDetailOut(StudySessionOut):
    attendance: list[RegisterLineOut]
    actions: list[str] = Field(..., description='what the caller may do now: "mark", "notes", …')


class StudyGapOut(Schema):
    after: datetime.date
    due_by: datetime.date
    held_on: datetime.date | None
    days_late: int


class CadenceOut(Schema):
    center_id: int
    last_held: datetime.date | None
    next_due: datetime.date | None
    overdue: bool
    next_planned: datetime.date | None
    gaps: list[StudyGapOut]


class StudySessionIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    held_on: datetime.date
    starts: datetime.time
    ends: datetime.time
    topic: Line
    place: Line = ""
    plan: Text = ""
    host: Line = ""


class RegisterMarkIn(Schema):
    person_id: int = Field(..., ge=1, le=BIGINT_MAX)
    mark: Code
    note: Line = ""


class RegisterIn(Schema):
    marks: list[RegisterMarkIn] = Field(..., max_length=500)


class NotesIn(Schema):
    discussion_notes: Text


class TrainingOut(Schema):
    id: int
    center_id: int
    kind: str = Field(..., description='"course", "contest" or "visit"')
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    organizer: str
    place: str
    description: str


class ParticipationOut(Schema):
    person: PersonOut = Field(..., alias="user")
    mark: str
    result: str


class TrainingDetailOut(TrainingOut):
    participants: list[ParticipationOut]


class TrainingIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    kind: Code
    title: Line
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal = Field(..., gt=0, le=Decimal("999.9"), max_digits=5, decimal_places=1)
    organizer: Line = ""
    place: Line = ""
    description: Text = ""


class ParticipationIn(Schema):
    person_id: int = Field(..., ge=1, le=BIGINT_MAX)
    mark: Code
    result: Line = ""


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _session_detail(request: HttpRequest, session: StudySession) -> dict[str, object]:
    return {
        **StudySessionOut.from_orm(session).dict(),
        "attendance": [
            {"person": row.user, "mark": row.mark, "note": row.note, "expected": row.expected}
            for row in register_rows(session)
        ],
        "actions": allowed_study_actions(request.user, session),
    }


@router.get("/sessions", response=list[StudySessionOut], summary="Study sessions you may read")
@paginate(Pagination)
def sessions(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    if not can_see_own_learning(request.user):
        raise HttpError(404, _("Not found."))
    found = study_sessions_in_scope(request.user)
    if center is not None:
        found = found.filter(center=access_center(request.user, center))
    return found.order_by("-held_on", "-starts", "-id")


@router.get("/cadence", response=CadenceOut, summary="When the next session of a center is due")
def cadence(
    request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)
) -> dict[str, object]:
    if not can_run_learning(request.user):
        raise HttpError(404, _("Not found."))
    root = scope_of(request.user).root
    if center is None and root is None:
        raise HttpError(404, _("Not found."))
    found = access_center(request.user, center if center is not None else getattr(root, "pk", 0))
    answer = study_cadence(center_id=found.pk, today=timezone.localdate())
    return {"center_id": found.pk, **answer.__dict__}


@router.get("/sessions/{session_id}", response=StudySessionDetailOut, summary="One session")
def session_detail(request: HttpRequest, session_id: int) -> dict[str, object]:
    return _session_detail(request, access_study_session(request.user, session_id))


@router.post(
    "/sessions",
    response={201: StudySessionOut, **SERVICE_REFUSALS},
    summary="Plan a study session (at least GOVHALL_STUDY_MIN_HOURS long)",
)
def session_plan(request: HttpRequest, payload: StudySessionIn):
    center = access_center(request.user, payload.center_id)
    try:
        session = study_session_plan(
            actor=_user(request),
            center=center,
            held_on=payload.held_on,
            starts=payload.starts,
            ends=payload.ends,
            topic=payload.topic,
            place=payload.place,
            plan=payload.plan,
            host=payload.host,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, session)


@router.post(
    "/sessions/{session_id}/register",
    response={200: StudySessionDetailOut, **SERVICE_REFUSALS},
    summary="Mark the register (present, excused, absent)",
)
def session_register(request: HttpRequest, session_id: int, payload: RegisterIn):
    session = access_study_session(request.user, session_id, for_write=True)
    try:
        study_register_mark(
            actor=_user(request),
            session=session,
            marks={line.person_id: line.mark for line in payload.marks},
            notes={line.person_id: line.note for line in payload.marks},
        )
    except ValidationError as error:
        return service_refusal(error)
    session.refresh_from_db()
    return _session_detail(request, session)


@router.post(
    "/sessions/{session_id}/notes",
    response={200: StudySessionOut, **SERVICE_REFUSALS},
    summary="Record the discussion notes",
)
def session_notes(request: HttpRequest, session_id: int, payload: NotesIn):
    session = access_study_session(request.user, session_id, for_write=True)
    try:
        return study_notes_record(
            actor=_user(request), session=session, notes=payload.discussion_notes
        )
    except ValidationError as error:
        return service_refusal(error)


@router.post(
    "/sessions/{session_id}/archive",
    response={200: StudySessionOut, **SERVICE_REFUSALS},
    summary="Archive a session: the register and notes no longer change",
)
def session_archive(request: HttpRequest, session_id: int):
    session = access_study_session(request.user, session_id, for_write=True)
    try:
        return study_session_archive(actor=_user(request), session=session)
    except ValidationError as error:
        return service_refusal(error)


@router.get("/trainings", response=list[TrainingOut], summary="Trainings you may read")
@paginate(Pagination)
def trainings(request: HttpRequest):
    if not can_see_own_learning(request.user):
        raise HttpError(404, _("Not found."))
    return trainings_in_scope(request.user).order_by("-starts_on", "-id")


def _training_detail(request: HttpRequest, event: TrainingEvent) -> dict[str, object]:
    participants = event.participants.select_related("user").order_by("user__username")
    if not can_run_learning_at(request.user, event.center_id):
        participants = participants.filter(user_id=_user(request).pk)
    return {**TrainingOut.from_orm(event).dict(), "participants": list(participants)}


@router.get("/trainings/{event_id}", response=TrainingDetailOut, summary="One training")
def training_detail(request: HttpRequest, event_id: int) -> dict[str, object]:
    return _training_detail(request, access_training(request.user, event_id))


@router.post(
    "/trainings",
    response={201: TrainingOut, **SERVICE_REFUSALS},
    summary="Record a training course, skill contest or study visit",
)
def training_record(request: HttpRequest, payload: TrainingIn):
    center = access_center(request.user, payload.center_id)
    try:
        event = training_event_record(
            actor=_user(request),
            center=center,
            kind=payload.kind,
            title=payload.title,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            hours=payload.hours,
            organizer=payload.organizer,
            place=payload.place,
            description=payload.description,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, event)


@router.post(
    "/trainings/{event_id}/participants",
    response={200: TrainingDetailOut, **SERVICE_REFUSALS},
    summary="Record one person's attendance and result",
)
def training_participant(request: HttpRequest, event_id: int, payload: ParticipationIn):
    event = access_training(request.user, event_id, for_write=True)
    try:
        training_participation_record(
            actor=_user(request),
            event=event,
            user_id=payload.person_id,
            mark=payload.mark,
            result=payload.result,
        )
    except ValidationError as error:
        return service_refusal(error)
    return _training_detail(request, event)
