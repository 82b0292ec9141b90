"""The annual assessment (issue 21 item 1b): the proposal from the published sheets and the
seeds' rules; recorded once by a hall manager with its event; a fail records the staff fact the
return rule reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govhall.assessment.events import AssessmentEvent
from govhall.assessment.grading import Grade
from govhall.assessment.queries.annual import annual_proposals, proposed_grade
from govhall.assessment.services.annual import annual_result_record
from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Window
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.queries.assignments import return_warnings
from govhall.testing.cases import local
from govhall.testing.person_files import YEAR, complaint, notice, sheets

pytestmark = pytest.mark.django_db
TODAY = datetime.date(YEAR + 1, 1, 10)


def test_rules_of_the_seeds() -> None:
    assert proposed_grade(Decimal("96"), complaints=0, criticisms=0, most_unsatisfactory=0) == (
        Grade.EXCELLENT,
        [],
    )
    grade, reasons = proposed_grade(
        Decimal("96"), complaints=0, criticisms=1, most_unsatisfactory=0
    )
    assert grade == Grade.PASS and reasons
    grade, _reasons = proposed_grade(
        Decimal("96"), complaints=2, criticisms=0, most_unsatisfactory=0
    )
    assert grade == Grade.PASS
    grade, _reasons = proposed_grade(
        Decimal("99"), complaints=0, criticisms=0, most_unsatisfactory=3
    )
    assert grade == Grade.FAIL


def test_proposals_and_recording(
    county: Center, window: Window, clerk: User, window_head: User, director: User
) -> None:
    sheets(clerk, window, {1: "97", 2: "96"})
    sheets(window_head, window, {1: "88", 2: "89"})
    notice(clerk, window, director, local(YEAR, 2, 3))
    complaint(window_head, county, director, local(YEAR, 2, 4), true=True)
    rows = {r.staff.user_id: r for r in annual_proposals(county, YEAR)}
    assert rows[clerk.pk].grade == Grade.PASS  # 96.5, but criticised
    assert rows[window_head.pk].grade == Grade.FAIL  # 88.5

    # Another grade than the proposal needs a note; the clerk is nobody to record themself.
    with pytest.raises(ValidationError) as refused:
        annual_result_record(actor=director, person=clerk, year=YEAR, grade="excellent")
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError):
        annual_result_record(actor=clerk, person=window_head, year=YEAR)
    with pytest.raises(ValidationError):
        annual_result_record(actor=director, person=clerk, year=YEAR + 5, today=TODAY)

    annual_result_record(actor=director, person=clerk, year=YEAR, today=TODAY)
    failed = annual_result_record(actor=director, person=window_head, year=YEAR, today=TODAY)
    assert failed.grade == Grade.FAIL and failed.proposed_grade == Grade.FAIL
    assert Event.objects.filter(action=AssessmentEvent.ANNUAL_RESULT_RECORD).count() == 2
    fact = StaffFact.objects.get(user=window_head, kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT)
    assert fact.occurred_on == datetime.date(YEAR, 12, 31)
    assert not StaffFact.objects.filter(
        user=clerk, kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT
    ).exists()
    assert window_head.pk in {w.user.pk for w in return_warnings(county, TODAY)}
    with pytest.raises(Conflict):
        annual_result_record(actor=director, person=clerk, year=YEAR, today=TODAY)
    assert annual_proposals(county, YEAR)[0].recorded is not None
