"""Assessment API (issue 14 item 7): a center's month (sheets with grade and tier, windows and
departments from their staff, red-flag windows, service stars), one sheet with its entries and
causes, one's own sheets, manual entries (deduct, bonus, correct), review / reopen / publish, and
the evaluation weights of a center.

Drafts are filled from the supervision alerts before they are answered. Errors
(`govhall.api.schemas`): a sheet or center the caller may not see, or may not change (their own
sheet included) → 404 like a missing one; refused input → 422; a stale `version` or a sheet no
longer in a state for the action → 409."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    ErrorOut,
    Id,
    Line,
    Pagination,
    PersonOut,
    Text,
    field_refusal,
    service_refusal,
)
from govhall.assessment.access.sheets import (
    access_sheet,
    allowed_actions,
    can_read_assessment,
    can_see_own_sheets,
    sheets_in_scope,
)
from govhall.assessment.exports import month_xlsx
from govhall.assessment.models import ScoreEntry, ScoreSheet
from govhall.assessment.queries.sheets import MonthView, links_of, month_view, weights_of
from govhall.assessment.services.fill import score_sheet_refill, score_sheets_fill
from govhall.assessment.services.sheets import (
    evaluation_weights_set,
    sheet_entry_add,
    sheet_transition,
)
from govhall.assessment.sheet_transitions import ENTRY_ACTIONS, SheetAction
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.access.standing import manages_center

router = Router(auth=SESSION_OR_TOKEN)

# YYYY-MM within 2000-01 … 2100-12, like the workbench's months.
MONTH_PATTERN = r"^(20\d\d-(0[1-9]|1[0-2])|2100-(0[1-9]|1[0-2]))$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScoreEntryOut(Schema):
    id: int
    kind: str = Field(..., description='"alert", "manual_deduction", "manual_bonus", "correction"')
    points: Decimal = Field(..., description="Signed: negative takes points away")
    occurred_on: datetime.date
    reason: str
    evidence: str
    alert_id: int | None = Field(None, description="The supervision alert behind it")
    corrects_id: int | None
    created_by: PersonOut | None
    created_at: datetime.datetime
    after_publication: bool


class ScoreSheetOut(Schema):
    id: int
    person: PersonOut
    center_id: int
    department_id: int | None
    window_id: int | None
    month: datetime.date = Field(..., description="The first day of the month")
    status: str = Field(..., description='"draft", "reviewed" or "published"')
    score: Decimal
    grade: str = Field(..., description='"excellent" (≥ 95), "pass" (90 up to 95), "fail"')
    version: int
    published_at: datetime.datetime | None


class ScoreSheetDetailOut(ScoreSheetOut):
    entries: list[ScoreEntryOut]
    actions: list[str]
    window_score: Decimal | None
    department_score: Decimal | None


class ScoreMonthRowOut(Schema):
    sheet: ScoreSheetOut
    tier: str = Field(..., description='"top" (30%), "middle" (40%), "bottom" (30%)')
    window_score: Decimal | None
    department_score: Decimal | None


class ScoreUnitOut(Schema):
    id: int
    name: str
    score: Decimal
    people: int


class ScoreMonthOut(Schema):
    center_id: int
    month: datetime.date
    rows: list[ScoreMonthRowOut]
    windows: list[ScoreUnitOut]
    departments: list[ScoreUnitOut]
    red_flag_window_ids: list[int]
    service_star_sheet_ids: list[int]


class ScoreEntryIn(Schema):
    action: str = Field(..., description='"deduct", "bonus" or "correct"')
    points: Decimal = Field(
        ..., max_digits=4, decimal_places=1, description="Steps of 0.5; signed for a correction"
    )
    reason: Line
    evidence: Text
    occurred_on: datetime.date | None = None
    corrects_id: Id | None = None
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class SheetVersionIn(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class EvaluationWeightsIn(Schema):
    self: int = Field(..., ge=0, le=100)
    leader: int = Field(..., ge=0, le=100)
    patrol: int = Field(..., ge=0, le=100)
    citizen: int = Field(..., ge=0, le=100)
    social: int = Field(..., ge=0, le=100)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _sheet_out(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "person": sheet.person,
        "center_id": sheet.center_id,
        "department_id": sheet.department_id,
        "window_id": sheet.window_id,
        "month": sheet.month,
        "status": sheet.status,
        "score": sheet.score,
        "grade": sheet.grade.value,
        "version": sheet.version,
        "published_at": sheet.published_at,
    }


def _detail(user: User, sheet: ScoreSheet) -> dict[str, Any]:
    sheet = ScoreSheet.objects.select_related("person").get(pk=sheet.pk)
    links = links_of(sheet)
    return {
        **_sheet_out(sheet),
        "entries": list(sheet.entries.select_related("created_by")),
        "actions": allowed_actions(user, sheet),
        "window_score": links["window_score"],
        "department_score": links["department_score"],
    }


def _month(request: HttpRequest, center: int | None, month: str | None) -> MonthView:
    user = _user(request)
    if not can_read_assessment(user):
        raise Http404
    if center is not None:
        chosen = access_center(user, center)
    else:
        root = scope_of(user).root
        if root is None:
            raise Http404
        chosen = root
    if month:
        year, number = (int(part) for part in month.split("-"))
        first = datetime.date(year, number, 1)
    else:
        first = timezone.localdate().replace(day=1)
    score_sheets_fill(month=first, centers=[chosen.pk])
    sheets = (
        sheets_in_scope(user)
        .filter(center=chosen, month=first)
        .select_related("person", "window", "department")
    )
    return month_view(sheets, chosen, first)


@router.get("/month", response=ScoreMonthOut, summary="A center's month: grades, tiers, windows")
def month(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    month: str | None = Query(None, pattern=MONTH_PATTERN, description="YYYY-MM"),
):
    view = _month(request, center, month)
    return {
        "center_id": view.center.pk,
        "month": view.month,
        "rows": [
            {
                "sheet": _sheet_out(row.sheet),
                "tier": row.tier,
                "window_score": row.window_score,
                "department_score": row.department_score,
            }
            for row in view.rows
        ],
        "windows": [
            {"id": u.pk, "name": u.name, "score": u.score, "people": u.people} for u in view.windows
        ],
        "departments": [
            {"id": u.pk, "name": u.name, "score": u.score, "people": u.people}
            for u in view.departments
        ],
        "red_flag_window_ids": [u.pk for u in view.red_flag_windows],
        "service_star_sheet_ids": [s.pk for s in view.service_stars],
    }


@router.get(
    "/month.xlsx",
    response={404: ErrorOut, 422: ErrorOut},
    summary="A center's month as a workbook",
    openapi_extra={
        "responses": {
            200: {
                "description": "The workbook",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def month_workbook(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    month: str | None = Query(None, pattern=MONTH_PATTERN, description="YYYY-MM"),
) -> HttpResponse:
    view = _month(request, center, month)
    response = HttpResponse(
        month_xlsx(view),
        content_type=XLSX,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{view.center.code}-{view.month:%Y-%m}.xlsx"'
    )
    return response


@router.get("/mine", response=list[ScoreSheetOut], summary="My score sheets, newest first")
@paginate(Pagination)
def mine(request: HttpRequest):
    user = _user(request)
    if not can_see_own_sheets(user):
        raise Http404
    return [
        _sheet_out(s)
        for s in ScoreSheet.objects.filter(person=user).select_related("person").order_by("-month")
    ]


@router.get(
    "/sheets/{sheet_id}", response=ScoreSheetDetailOut, summary="One sheet with its entries"
)
def sheet(request: HttpRequest, sheet_id: int):
    found = access_sheet(_user(request), sheet_id)
    score_sheet_refill(found)
    return _detail(_user(request), found)


@router.post(
    "/sheets/{sheet_id}/entries",
    response={201: ScoreSheetDetailOut, **SERVICE_REFUSALS},
    summary="Add a deduction, a bonus or (on a published sheet) a correction",
)
def add_entry(request: HttpRequest, sheet_id: int, payload: ScoreEntryIn):
    user = _user(request)
    found = access_sheet(user, sheet_id, for_write=True)
    if payload.action not in ENTRY_ACTIONS:
        return field_refusal("action", _("Choose deduct, bonus or correct."))
    corrects = None
    if payload.corrects_id is not None:
        corrects = ScoreEntry.objects.filter(pk=payload.corrects_id, sheet=found).first()
        if corrects is None:
            return field_refusal("corrects_id", _("Choose an entry of this sheet."))
    try:
        sheet_entry_add(
            actor=user,
            sheet=found,
            action=payload.action,
            points=payload.points,
            reason=payload.reason,
            evidence=payload.evidence,
            occurred_on=payload.occurred_on,
            corrects=corrects,
            version=payload.version,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, _detail(user, found))


@router.post(
    "/sheets/{sheet_id}/{action}",
    response={200: ScoreSheetDetailOut, **SERVICE_REFUSALS},
    summary="Review, reopen or publish a sheet",
)
def move(request: HttpRequest, sheet_id: int, action: str, payload: SheetVersionIn):
    user = _user(request)
    found = access_sheet(user, sheet_id, for_write=True)
    if action not in (SheetAction.REVIEW, SheetAction.REOPEN, SheetAction.PUBLISH):
        raise Http404
    try:
        sheet_transition(actor=user, sheet=found, action=action, version=payload.version)
    except ValidationError as error:
        return service_refusal(error)
    return _detail(user, found)


@router.get(
    "/weights/{center_id}", response=EvaluationWeightsIn, summary="A center's evaluation weights"
)
def weights(request: HttpRequest, center_id: int):
    center = access_center(_user(request), center_id)
    if not can_read_assessment(request.user):
        raise Http404
    return weights_of(center)


@router.put(
    "/weights/{center_id}",
    response={200: EvaluationWeightsIn, **SERVICE_REFUSALS},
    summary="Set a center's evaluation weights (percent, adding up to 100)",
)
def set_weights(request: HttpRequest, center_id: int, payload: EvaluationWeightsIn):
    user = _user(request)
    center = access_center(user, center_id)
    if not manages_center(user, center.pk):
        raise Http404
    try:
        row = evaluation_weights_set(actor=user, center=center, weights=payload.dict())
    except ValidationError as error:
        return service_refusal(error)
    return row.as_dict()
