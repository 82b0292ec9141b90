"""Patrols API (每日巡查, issue 14 item 6): rounds, windows checked, findings with a photo.

Starting a round, recording a window and finishing are JSON; a finding is sent as
multipart/form-data (`point`, `note`, `raises_alert`, optional `photo`: JPEG or PNG by content,
at most GOVHALL_PATROL_PHOTO_MAX_BYTES). The photo itself is served by the workbench behind the
same access check (`photo_url`). Hall directors and supervisors patrol the centers of their
scope; only the round's inspector records on it. Errors (`govhall.api.schemas`): a round or
visit the caller may not see or patrol → 404; refused input → 422 with the fields (a failed
point without a note, a photo that is not an image or too big, a window of another center);
a window checked twice on a round, a point twice, a finished round → 409."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Code,
    Line,
    Pagination,
    PersonOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.models import Window
from govhall.supervision.access.patrols import (
    access_patrol_round,
    access_patrol_visit,
    can_read_patrols,
    patrol_rounds_in_scope,
    patrol_visits_in_scope,
)
from govhall.supervision.models import PatrolFinding, PatrolRound, PatrolVisit
from govhall.supervision.services.patrols import (
    patrol_finding_add,
    patrol_round_finish,
    patrol_round_start,
    patrol_visit_record,
)

router = Router(auth=django_auth)


class PatrolFindingOut(Schema):
    id: int
    point: str = Field(
        ...,
        description='"conduct", "post", "dress", "tidiness", "phone" or "complaint"',
    )
    conduct_rule_id: int | None = Field(
        None, description="the line of the center's code of conduct the finding names"
    )
    note: str
    raises_alert: bool
    recorded_at: datetime.datetime
    photo_url: str | None = Field(None, description="the workbench page serving the photo")

    @staticmethod
    def resolve_photo_url(obj: PatrolFinding) -> str | None:
        if not obj.photo:
            return None
        return reverse("workbench:patrol_photo", args=[obj.pk])


class PatrolVisitOut(Schema):
    id: int
    round_id: int
    window_id: int
    window_number: int = Field(..., alias="window.number")
    visited_at: datetime.datetime
    serving: list[int] = Field(..., description="ids of the people serving the window then")
    findings: list[PatrolFindingOut]

    @staticmethod
    def resolve_findings(obj: PatrolVisit) -> list[PatrolFinding]:
        return list(obj.findings.all())


class PatrolRoundOut(Schema):
    id: int
    center_id: int
    day: datetime.date
    session: str = Field(..., description='"morning" or "afternoon"')
    inspector: PersonOut
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    note: str


class PatrolRoundDetailOut(PatrolRoundOut):
    visits: list[PatrolVisitOut]


class PatrolRoundIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    session: str | None = Field(
        None, pattern="^(morning|afternoon)$", description="default: by the center's hours"
    )
    note: Line = ""


class PatrolVisitIn(Schema):
    window_id: int = Field(..., ge=1, le=BIGINT_MAX)


class PatrolFinishIn(Schema):
    note: Line = ""


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _detail(request: HttpRequest, round_id: int) -> dict[str, object]:
    found = access_patrol_round(request.user, round_id)
    visits = (
        patrol_visits_in_scope(request.user)
        .filter(round=found)
        .select_related("window")
        .prefetch_related("findings")
        .order_by("window__number")
    )
    return {**PatrolRoundOut.from_orm(found).dict(), "visits": list(visits)}


@router.get("/rounds", response=list[PatrolRoundOut], summary="Patrol rounds in your scope")
@paginate(Pagination)
def rounds(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    day: datetime.date | None = None,
):
    if not can_read_patrols(request.user):
        raise HttpError(404, _("Not found."))
    found = patrol_rounds_in_scope(request.user).select_related("inspector")
    if center is not None:
        found = found.filter(center=access_center(request.user, center))
    if day is not None:
        found = found.filter(day=day)
    return found.order_by("-day", "-started_at", "-id")


@router.get("/rounds/{round_id}", response=PatrolRoundDetailOut, summary="One round, its windows")
def round_detail(request: HttpRequest, round_id: int) -> dict[str, object]:
    return _detail(request, round_id)


@router.post("/rounds", response={201: PatrolRoundOut, **SERVICE_REFUSALS}, summary="Start a round")
def round_start(request: HttpRequest, payload: PatrolRoundIn):
    center = access_center(request.user, payload.center_id)
    try:
        started = patrol_round_start(
            actor=_user(request), center=center, session=payload.session, note=payload.note
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, started)


@router.post(
    "/rounds/{round_id}/visits",
    response={201: PatrolVisitOut, **SERVICE_REFUSALS},
    summary="Record a window checked (every point passed until a finding says otherwise)",
)
def visit_record(request: HttpRequest, round_id: int, payload: PatrolVisitIn):
    found: PatrolRound = access_patrol_round(request.user, round_id, for_write=True)
    window = Window.objects.filter(pk=payload.window_id).first()
    if window is None:
        return field_refusal("window_id", _("This window is not one of the round's center."))
    try:
        visit = patrol_visit_record(actor=_user(request), patrol_round=found, window=window)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, visit)


@router.post(
    "/visits/{visit_id}/findings",
    response={201: PatrolFindingOut, **SERVICE_REFUSALS},
    summary="Record a failed point at a window checked (multipart, optional photo)",
)
def finding_add(
    request: HttpRequest,
    visit_id: int,
    point: Form[Code],
    note: Form[Line],
    raises_alert: Form[bool] = True,
    photo: File[UploadedFile | None] = None,
    conduct_rule_id: Form[int | None] = None,
):
    visit = access_patrol_visit(request.user, visit_id, for_write=True)
    try:
        finding = patrol_finding_add(
            actor=_user(request),
            visit=visit,
            point=point,
            note=note,
            photo=photo,
            raises_alert=raises_alert,
            conduct_rule=conduct_rule_id,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, finding)


@router.post(
    "/rounds/{round_id}/finish",
    response={200: PatrolRoundOut, **SERVICE_REFUSALS},
    summary="Finish a round",
)
def round_finish(request: HttpRequest, round_id: int, payload: PatrolFinishIn):
    found = access_patrol_round(request.user, round_id, for_write=True)
    try:
        return patrol_round_finish(actor=_user(request), patrol_round=found, note=payload.note)
    except ValidationError as error:
        return service_refusal(error)
