"""The quantified evaluation (量化测评): five sources weighted by the center's weights; the person
marks themself, management the rest; the patrol source is the sheet's score until marked."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govhall.assessment.models import ScoreSheet, SheetStatus
from govhall.assessment.queries.sheets import evaluation_of
from govhall.assessment.services.fill import score_sheets_fill
from govhall.assessment.services.sheets import evaluation_mark_set, evaluation_weights_set
from govhall.core.models import User
from govhall.org.models import Center, Window

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 10, 1)


@pytest.fixture
def sheet(window: Window, clerk: User) -> ScoreSheet:
    score_sheets_fill(month=MONTH)
    return ScoreSheet.objects.get(person=clerk, month=MONTH)


def test_weighted_result_over_the_marked_sources(
    director: User, clerk: User, county: Center, sheet: ScoreSheet
) -> None:
    evaluation_weights_set(
        actor=director,
        center=county,
        weights={"self": 10, "leader": 20, "patrol": 40, "citizen": 20, "social": 10},
    )
    evaluation_mark_set(actor=clerk, sheet=sheet, source="self", mark=90)
    for source, mark in (("leader", 80), ("citizen", 100), ("social", 70)):
        evaluation_mark_set(actor=director, sheet=sheet, source=source, mark=mark)
    result = evaluation_of(sheet)
    # 0.1·90 + 0.2·80 + 0.4·100 (the sheet's score) + 0.2·100 + 0.1·70 = 92
    assert result.result == Decimal("92.0") and result.complete


def test_who_marks_what(director: User, clerk: User, window_head: User, sheet: ScoreSheet) -> None:
    with pytest.raises(ValidationError):
        evaluation_mark_set(actor=director, sheet=sheet, source="self", mark=90)
    with pytest.raises(ValidationError):
        evaluation_mark_set(actor=clerk, sheet=sheet, source="leader", mark=100)
    with pytest.raises(ValidationError):
        evaluation_mark_set(actor=window_head, sheet=sheet, source="leader", mark=100)
    with pytest.raises(ValidationError):
        evaluation_mark_set(actor=director, sheet=sheet, source="leader", mark=101)
    sheet.status = SheetStatus.PUBLISHED
    sheet.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        evaluation_mark_set(actor=clerk, sheet=sheet, source="self", mark=90)
    assert not sheet.marks.exists()
