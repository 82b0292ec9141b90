import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.staffing.models.assignment import StaffFact, StaffFactKind
from govhall.staffing.queries.assignments import (
    RETURN_THRESHOLDS,
    WITHOUT_WINDOW,
    return_warnings,
    twelve_months_before,
)
from govhall.staffing.services.assignments import staff_fact_record
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
K = StaffFactKind


def facts(user, kind, *days_ago):
    for days in days_ago:
        StaffFact.objects.create(
            user=user, kind=kind, occurred_on=TODAY - datetime.timedelta(days=days)
        )


def reasons_of(center):
    return {w.user.username: w.reasons for w in return_warnings(center, TODAY)}


def test_nobody_without_facts(county, clerk):
    assert return_warnings(county, TODAY) == []


def test_one_failed_assessment_is_enough(county, clerk):
    facts(clerk, K.FAILED_ANNUAL_ASSESSMENT, 30)
    assert reasons_of(county) == {"clerk": ["Failed the annual assessment"]}


@pytest.mark.parametrize("kind", [K.VERIFIED_COMPLAINT, K.CRITICISM_NOTICE])
def test_two_complaints_or_notices_but_not_one(county, clerk, kind):
    facts(clerk, kind, 10)
    assert return_warnings(county, TODAY) == []
    facts(clerk, kind, 200)
    [warning] = return_warnings(county, TODAY)
    assert warning.counts[kind] == 2 and len(warning.facts) == 2
    assert "2" in warning.reasons[0]


def test_complaint_and_notice_do_not_add_up(county, clerk):
    facts(clerk, K.VERIFIED_COMPLAINT, 10)
    facts(clerk, K.CRITICISM_NOTICE, 10)
    assert return_warnings(county, TODAY) == []


def test_three_most_unsatisfactory_ratings_but_not_two(county, clerk):
    facts(clerk, K.MOST_UNSATISFACTORY, 1, 100)
    assert return_warnings(county, TODAY) == []
    facts(clerk, K.MOST_UNSATISFACTORY, 300)
    [warning] = return_warnings(county, TODAY)
    assert warning.counts[K.MOST_UNSATISFACTORY] == 3


def test_a_fact_13_months_old_is_not_counted(county, clerk):
    facts(clerk, K.VERIFIED_COMPLAINT, 10, 395)
    facts(clerk, K.FAILED_ANNUAL_ASSESSMENT, 395)
    assert return_warnings(county, TODAY) == []


def test_twelve_month_window_edges(county, clerk):
    since = twelve_months_before(TODAY)
    assert since == datetime.date(2025, 11, 24)
    StaffFact.objects.create(user=clerk, kind=K.FAILED_ANNUAL_ASSESSMENT, occurred_on=since)
    assert [w.user for w in return_warnings(county, TODAY)] == [clerk]
    assert return_warnings(county, TODAY + datetime.timedelta(days=1)) == []
    # A fact after `today` is not counted either.
    assert return_warnings(county, since - datetime.timedelta(days=1)) == []


def test_several_reasons_and_people_counted_in_two_queries(county, department, clerk, other_county):
    second = make_staff(Role.CLERK, county, department, username="second", window_staff=True)
    back_office = make_staff(Role.REVIEWER, county, department, username="back_office")
    facts(back_office, K.FAILED_ANNUAL_ASSESSMENT, 5)
    facts(clerk, K.FAILED_ANNUAL_ASSESSMENT, 5)
    facts(clerk, K.CRITICISM_NOTICE, 5, 6)
    facts(second, K.MOST_UNSATISFACTORY, 1, 2, 3)
    elsewhere = make_staff(Role.CLERK, other_county, username="elsewhere")
    facts(elsewhere, K.FAILED_ANNUAL_ASSESSMENT, 5)
    with CaptureQueriesContext(connection) as queries:
        result = return_warnings(county, TODAY)
    assert len(queries) == 2
    assert {w.user.username: len(w.reasons) for w in result} == {"clerk": 2, "second": 1}
    assert [w.user.username for w in return_warnings([elsewhere], TODAY)] == ["elsewhere"]


def test_staff_fact_record(director, window_head, clerk, outsider):
    fact = staff_fact_record(
        actor=None, user=clerk, kind=K.VERIFIED_COMPLAINT, occurred_on=TODAY, source="complaints"
    )
    assert Event.objects.filter(action="staff_fact.record", object_id=str(fact.pk)).exists()
    staff_fact_record(actor=director, user=clerk, kind=K.CRITICISM_NOTICE, occurred_on=TODAY)
    for actor in (window_head, outsider):
        with pytest.raises(ValidationError):
            staff_fact_record(actor=actor, user=clerk, kind=K.CRITICISM_NOTICE, occurred_on=TODAY)
    with pytest.raises(ValidationError) as info:
        staff_fact_record(actor=director, user=clerk, kind="nonsense", occurred_on=TODAY)
    assert "kind" in info.value.message_dict
    assert StaffFact.objects.filter(user=clerk).count() == 2


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(RETURN_THRESHOLDS)), st.integers(min_value=-5, max_value=800)
        ),
        max_size=8,
    )
)
def test_warning_matches_the_thresholds_for_any_facts(county, clerk, drawn):
    StaffFact.objects.filter(user=clerk).delete()
    for kind, days_ago in drawn:
        facts(clerk, kind, days_ago)
    since = twelve_months_before(TODAY)
    counted = {
        kind: sum(
            1
            for k, days in drawn
            if k == kind
            and (k in WITHOUT_WINDOW or since <= TODAY - datetime.timedelta(days=days))
            and TODAY - datetime.timedelta(days=days) <= TODAY
        )
        for kind in RETURN_THRESHOLDS
    }
    expected = any(counted[k] >= n for k, n in RETURN_THRESHOLDS.items())
    result = return_warnings(county, TODAY)
    assert bool(result) == expected
    if result:
        assert result[0].counts == counted
        assert len(result[0].reasons) == sum(counted[k] >= n for k, n in RETURN_THRESHOLDS.items())
