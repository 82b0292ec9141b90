"""Manual entries, review and publication: management of the center only, never on oneself;
a published sheet is frozen and a change is a logged correction entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from govhall.assessment.access.sheets import access_sheet, allowed_actions
from govhall.assessment.events import AssessmentEvent
from govhall.assessment.models import EntryKind, ScoreSheet, SheetStatus
from govhall.assessment.services.fill import score_sheets_fill
from govhall.assessment.services.sheets import (
    annual_assessment_close,
    evaluation_weights_set,
    sheet_entry_add,
    sheet_transition,
)
from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Window
from govhall.staffing.queries.assignments import return_warnings

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 10, 1)


@pytest.fixture
def sheet(window: Window, clerk: User) -> ScoreSheet:
    score_sheets_fill(month=MONTH)
    return ScoreSheet.objects.get(person=clerk, month=MONTH)


def deduct(actor: User, sheet: ScoreSheet, points: str = "2", **kw: object) -> object:
    fields: dict[str, object] = {
        "reason": "态度冷漠",
        "evidence": "群众举报记录",
        "occurred_on": "2025-10-09",
    }
    fields.update(kw)
    return sheet_entry_add(actor=actor, sheet=sheet, action="deduct", points=points, **fields)


def test_director_deducts_and_gives_a_bonus_with_reason_and_evidence(
    director: User, sheet: ScoreSheet
) -> None:
    deduct(director, sheet)
    sheet_entry_add(
        actor=director, sheet=sheet, action="bonus", points="0.5", reason="表扬", evidence="锦旗"
    )
    assert sheet.score == Decimal("98.5")
    assert sheet.version == 3
    assert Event.objects.filter(action=AssessmentEvent.SCORE_ENTRY_ADD).count() == 2


@pytest.mark.parametrize(
    ("points", "field"),
    [("0", "points"), ("-2", "points"), ("0.3", "points"), ("21", "points"), ("x", "points")],
)
def test_bad_points_are_refused_and_nothing_changes(
    director: User, sheet: ScoreSheet, points: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        deduct(director, sheet, points)
    assert field in caught.value.message_dict
    assert not sheet.entries.exists()


def test_reason_evidence_and_day_of_the_month_are_required(
    director: User, sheet: ScoreSheet
) -> None:
    with pytest.raises(ValidationError) as caught:
        deduct(director, sheet, reason=" ", evidence="", occurred_on="2025-11-01")
    assert set(caught.value.message_dict) == {"reason", "evidence", "occurred_on"}


def test_nobody_scores_their_own_sheet(director: User, window: Window) -> None:
    score_sheets_fill(month=MONTH)
    own = ScoreSheet.objects.create(person=director, center=director.staff.center, month=MONTH)
    with pytest.raises(ValidationError):
        deduct(director, own)
    with pytest.raises(Http404):
        access_sheet(director, own.pk, for_write=True)
    assert access_sheet(director, own.pk) == own  # reading one's own is fine
    assert allowed_actions(director, own) == []


def test_others_may_not_change_a_sheet(
    window_head: User, supervisor: User, outsider: User, sheet: ScoreSheet
) -> None:
    for user in (window_head, supervisor):
        with pytest.raises(ValidationError):
            deduct(user, sheet)
        with pytest.raises(Http404):
            access_sheet(user, sheet.pk, for_write=True)
    with pytest.raises(Http404):
        access_sheet(outsider, sheet.pk)


def test_clerk_reads_only_their_own_sheet(
    clerk: User, window_head: User, sheet: ScoreSheet
) -> None:
    assert access_sheet(clerk, sheet.pk) == sheet
    other = ScoreSheet.objects.get(person=window_head, month=MONTH)
    with pytest.raises(Http404):
        access_sheet(clerk, other.pk)


def test_publish_freezes_and_a_change_is_a_correction(director: User, sheet: ScoreSheet) -> None:
    deduct(director, sheet)
    with pytest.raises(Conflict):
        sheet_transition(actor=director, sheet=sheet, action="publish")  # review first
    sheet_transition(actor=director, sheet=sheet, action="review")
    with pytest.raises(Conflict):
        deduct(director, sheet)  # reviewed: reopen first
    sheet_transition(actor=director, sheet=sheet, action="publish", version=sheet.version)
    assert sheet.status == SheetStatus.PUBLISHED
    assert sheet.published_by == director and sheet.published_at is not None
    with pytest.raises(Conflict):
        deduct(director, sheet)
    with pytest.raises(Conflict):
        sheet_transition(actor=director, sheet=sheet, action="reopen")
    original = sheet.entries.get()
    correction = sheet_entry_add(
        actor=director,
        sheet=sheet,
        action="correct",
        points="1",
        reason="复核后减半",
        evidence="复核记录",
        corrects=original,
    )
    assert correction.kind == EntryKind.CORRECTION and correction.after_publication
    assert correction.corrects == original
    assert sheet.score == Decimal("99.0")
    assert Event.objects.filter(
        action=AssessmentEvent.SCORE_ENTRY_ADD, data__kind="correction"
    ).exists()


def test_stale_version_is_a_conflict(director: User, sheet: ScoreSheet) -> None:
    with pytest.raises(Conflict):
        deduct(director, sheet, version=sheet.version + 5)
    assert not sheet.entries.exists()


def test_reopen_lets_the_fill_work_again(director: User, sheet: ScoreSheet) -> None:
    sheet_transition(actor=director, sheet=sheet, action="review")
    sheet_transition(actor=director, sheet=sheet, action="reopen")
    assert sheet.status == SheetStatus.DRAFT and sheet.reviewed_by is None


def test_weights_must_sum_to_100(director: User, county: Center) -> None:
    with pytest.raises(ValidationError):
        evaluation_weights_set(
            actor=director,
            center=county,
            weights={"self": 10, "leader": 10, "patrol": 10, "citizen": 10, "social": 10},
        )
    row = evaluation_weights_set(
        actor=director,
        center=county,
        weights={"self": 10, "leader": 30, "patrol": 30, "citizen": 20, "social": 10},
    )
    assert row.as_dict()["leader"] == 30


def test_a_failed_year_feeds_the_return_warnings(
    director: User, county: Center, window: Window, clerk: User
) -> None:
    for month in range(1, 13):
        score_sheets_fill(month=datetime.date(2025, month, 1), centers=[county.pk])
    ScoreSheet.objects.filter(person=clerk).update(
        score=Decimal("88"), status=SheetStatus.PUBLISHED
    )
    assert annual_assessment_close(actor=director, center=county, year=2025) == 1
    assert annual_assessment_close(actor=director, center=county, year=2025) == 0  # once
    warnings = return_warnings(county, datetime.date(2026, 1, 15))
    assert [w.user for w in warnings] == [clerk]
