"""Assessment files API (issue 21 item 1b): one person's file for a year, the annual assessment
of a center (proposals and recorded results, and recording one) and the temporary covers to
replace. The same queries and services as the workbench pages; errors (`govhall.api.schemas`):
a person or center the caller may not see → 404 like a missing one; refused input → 422; a
result already recorded → 409."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import SERVICE_REFUSALS, Line, PersonOut, service_refusal
from govhall.assessment.access.person_file import access_person_file, can_read_person_files
from govhall.assessment.queries.annual import annual_proposals
from govhall.assessment.queries.covers import flagged_covers
from govhall.assessment.queries.person_file import person_file
from govhall.assessment.services.annual import annual_result_record
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.models import Center

router = Router(auth=SESSION_OR_TOKEN)


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class CenterYearQuery(YearQuery):
    center: int | None = Field(None, ge=1, le=2**31 - 1)


class CenterQuery(Schema):
    center: int | None = Field(None, ge=1, le=2**31 - 1)


class FileSheetOut(Schema):
    id: int
    month: datetime.date
    score: Decimal
    status: str


class FileCountOut(Schema):
    level: int
    count: int


class AssessmentFileOut(Schema):
    person: PersonOut
    year: int
    sheets: list[FileSheetOut]
    average: Decimal | None = Field(..., description="Of the published sheets")
    grade: str | None = Field(..., description='"excellent", "pass", "fail"')
    patrol_findings: int
    notices: int
    complaints: int
    complaints_found_true: int
    ratings: list[FileCountOut] = Field(..., description="Counts by level, 5 … 1")
    missed_study_sessions: int
    trainings: int
    attendance_lapses: int
    staff_facts: list[str] = Field(..., description="Kinds of the facts in the year")
    return_reasons: list[str] = Field(..., description="Why due to be returned; empty if not")
    return_decisions: list[datetime.date]


class AnnualRowOut(Schema):
    person: PersonOut
    department_id: int | None
    score: Decimal
    proposed_grade: str
    reasons: list[str]
    recorded_grade: str | None


class AnnualIn(Schema):
    person_id: int = Field(..., ge=1, le=2**31 - 1)
    year: int = Field(..., ge=2000, le=2100)
    grade: str | None = Field(
        None, description='"excellent", "pass", "fail"; the proposal if empty'
    )
    note: Line = ""


class FlaggedCoverOut(Schema):
    person: PersonOut
    department_id: int | None
    faults: int
    replace_url: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _center(user: User, center: int | None) -> Center:
    if not can_read_person_files(user):
        raise Http404
    if center is not None:
        return access_center(user, center)
    root = scope_of(user).root
    if root is None:
        raise Http404
    return root


@router.get("/people/{user_id}", response=AssessmentFileOut, summary="A person's assessment file")
def file_of(request: HttpRequest, user_id: int, query: Query[YearQuery]) -> dict[str, Any]:
    person = access_person_file(_user(request), user_id)
    year = query.year or timezone.localdate().year
    found = person_file(person, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return {
        "person": person,
        "year": year,
        "sheets": [
            {"id": s.pk, "month": s.month, "score": s.score, "status": s.status}
            for s in found.sheets
        ],
        "average": found.average,
        "grade": found.grade.value if found.grade else None,
        "patrol_findings": len(found.findings),
        "notices": len(found.notices),
        "complaints": len(found.complaints),
        "complaints_found_true": found.complaints_found_true,
        "ratings": [{"level": level, "count": n} for level, _label, n in found.ratings],
        "missed_study_sessions": found.missed_study,
        "trainings": len(found.trainings),
        "attendance_lapses": found.lapses.total,
        "staff_facts": [f.kind for f in found.facts],
        "return_reasons": found.warning.reasons if found.warning else [],
        "return_decisions": [d.decided_on for d in found.decisions],
    }


@router.get("/annual", response=list[AnnualRowOut], summary="A center's annual assessment")
def annual(request: HttpRequest, query: Query[CenterYearQuery]) -> list[dict[str, Any]]:
    user = _user(request)
    center = _center(user, query.center)
    year = query.year or timezone.localdate().year
    return [
        {
            "person": row.staff.user,
            "department_id": row.staff.department_id,
            "score": row.score,
            "proposed_grade": row.grade.value,
            "reasons": row.reasons,
            "recorded_grade": row.recorded.grade if row.recorded else None,
        }
        for row in annual_proposals(center, year, department_id=scope_of(user).department_id)
    ]


@router.post(
    "/annual",
    response={201: AnnualRowOut, **SERVICE_REFUSALS},
    summary="Record a person's annual assessment (hall managers of the person's center)",
)
def annual_record(request: HttpRequest, payload: AnnualIn) -> Status[Any]:
    user = _user(request)
    person = access_person_file(user, payload.person_id)
    try:
        result = annual_result_record(
            actor=user, person=person, year=payload.year, grade=payload.grade, note=payload.note
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(
        201,
        {
            "person": person,
            "department_id": result.department_id,
            "score": result.score,
            "proposed_grade": result.proposed_grade,
            "reasons": [],
            "recorded_grade": result.grade,
        },
    )


@router.get("/flagged-covers", response=list[FlaggedCoverOut], summary="Covers to replace")
def covers(request: HttpRequest, query: Query[CenterQuery]) -> list[dict[str, Any]]:
    user = _user(request)
    center = _center(user, query.center)
    return [
        {
            "person": flag.user,
            "department_id": flag.department.pk if flag.department else None,
            "faults": flag.count,
            "replace_url": reverse("workbench:delegations"),
        }
        for flag in flagged_covers(center, department_id=scope_of(user).department_id)
    ]
