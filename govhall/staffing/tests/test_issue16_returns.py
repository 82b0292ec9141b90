"""Issue 16 item 10: the return rule's grounds and acting on a return warning."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.staffing.models.assignment import (
    Assignment,
    ReturnDecision,
    StaffFact,
    StaffFactKind,
)
from govhall.staffing.queries.assignments import return_warnings
from govhall.staffing.services.assignments import return_decide, trial_end
from govhall.testing.factories import WindowFactory

pytestmark = pytest.mark.django_db

K = StaffFactKind


def fact(user, kind, day):
    StaffFact.objects.create(user=user, kind=kind, occurred_on=day)


def station(user, department, window, starts_on):
    return Assignment.objects.create(
        user=user,
        center=department.center,
        department=department,
        window=window,
        starts_on=starts_on,
        trial_ends_on=trial_end(starts_on),
    )


def test_most_unsatisfactory_counts_without_a_12_month_window(county, clerk):
    today = timezone.localdate()
    for years in (1, 2, 3):
        fact(clerk, K.MOST_UNSATISFACTORY, today - datetime.timedelta(days=400 * years))
    [warning] = return_warnings(county, today)
    assert warning.counts[K.MOST_UNSATISFACTORY] == 3
    assert len(warning.facts) == 3


def test_old_complaints_still_expire(county, clerk):
    today = timezone.localdate()
    fact(clerk, K.VERIFIED_COMPLAINT, today - datetime.timedelta(days=10))
    fact(clerk, K.VERIFIED_COMPLAINT, today - datetime.timedelta(days=400))
    assert return_warnings(county, today) == []


@pytest.mark.parametrize("kind", ["media_exposure", "serious_violation"])
def test_exposure_and_serious_violation_are_grounds(county, clerk, kind):
    assert kind in K.values
    today = timezone.localdate()
    fact(clerk, kind, today - datetime.timedelta(days=5))
    [warning] = return_warnings(county, today)
    assert warning.counts[kind] == 1 and warning.reasons


@pytest.fixture
def warned(county, department, clerk):
    window = WindowFactory(center=county, number=7)
    window.departments.add(department)
    assignment = station(clerk, department, window, datetime.date(2024, 1, 1))
    fact(clerk, K.FAILED_ANNUAL_ASSESSMENT, timezone.localdate())
    return assignment


def test_return_decide_ends_assignment_and_silences_warning(county, director, clerk, warned):
    decision = return_decide(actor=director, user=clerk, note="经中心研究决定")
    warned.refresh_from_db()
    assert warned.ends_on == timezone.localdate()
    assert decision.assignment == warned and decision.department == warned.department
    assert decision.reasons
    assert return_warnings(county, timezone.localdate()) == []
    assert Event.objects.filter(action="return.decide").exists()


def test_return_decide_refuses_non_managers_and_people_not_due(
    county, supervisor, director, clerk, window_head, warned
):
    with pytest.raises(ValidationError):
        return_decide(actor=supervisor, user=clerk, note="")
    with pytest.raises(ValidationError):
        return_decide(actor=director, user=window_head, note="")
    assert not ReturnDecision.objects.exists()
    warned.refresh_from_db()
    assert warned.ends_on is None


def test_return_page_decides_and_prints_notice(client_as, county, director, clerk, warned):
    client = client_as(director)
    url = reverse("workbench:return_decide", args=[clerk.pk])
    response = client.post(url, {"center": county.pk, "note": "经研究决定退回"})
    assert response.status_code == 302
    decision = ReturnDecision.objects.get()
    page = client.get(reverse("workbench:return_notice", args=[decision.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "size: A4" in body or "A4" in body
    assert warned.department.name in body and "经研究决定退回" in body


def test_return_page_hidden_from_others(client_as, county, clerk, warned, director):
    decision = return_decide(actor=director, user=clerk, note="")
    assert (
        client_as(clerk).get(reverse("workbench:return_notice", args=[decision.pk])).status_code
        == 404
    )
    response = client_as(clerk).post(reverse("workbench:return_decide", args=[clerk.pk]), {})
    assert response.status_code == 404


def test_api_return_decision(client_as, county, director, clerk, supervisor, warned):
    url = "/api/v1/staffing/rosters/return-decision"
    refused = client_as(supervisor).post(url, {"user": clerk.pk}, content_type="application/json")
    assert refused.status_code == 404
    done = client_as(director).post(
        url, {"user": clerk.pk, "note": "退回"}, content_type="application/json"
    )
    assert done.status_code == 201, done.content
    assert done.json()["assignment_id"] == warned.pk
    again = client_as(director).post(url, {"user": clerk.pk}, content_type="application/json")
    assert again.status_code in (409, 422)
