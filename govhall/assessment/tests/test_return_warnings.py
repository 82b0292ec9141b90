"""A failed year and repeated violations feed the return-to-department warnings; a failed
annual assessment is no longer typed by hand."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.assessment.queries.violations import violation_warnings
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.supervision.models import AlertStatus
from govhall.testing.assessment import raise_alert

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 10, 31)


def test_three_violations_in_12_months_warn_and_an_excused_one_does_not_count(
    county: Center, window: Window, clerk: User, window_head: User, settings
) -> None:
    settings.GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN = 3
    alerts = [
        raise_alert("post_empty.red", center=county, responsible=clerk, day=day)
        for day in (datetime.date(2025, 1, 6), datetime.date(2025, 5, 6), TODAY)
    ]
    raise_alert("post_empty.red", center=county, responsible=window_head, day=TODAY)
    raise_alert(  # more than 12 months ago
        "post_empty.red", center=county, responsible=window_head, day=datetime.date(2024, 9, 1)
    )
    warnings = violation_warnings(county, TODAY)
    assert [(w.user, w.count) for w in warnings] == [(clerk, 3)]
    alerts[0].status = AlertStatus.ACCEPTED
    alerts[0].save(update_fields=["status"])
    assert violation_warnings(county, TODAY) == []


def test_the_return_warnings_page_shows_repeated_violations(
    client_as, director: User, county: Center, window: Window, clerk: User, settings
) -> None:
    settings.GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN = 1
    raise_alert("post_empty.red", center=county, responsible=clerk, day=datetime.date.today())
    page = client_as(director).get(reverse("workbench:return_warnings"))
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="violation-warnings"') :]
    assert clerk.display_name in table


def test_a_failed_annual_assessment_is_not_typed_by_hand(
    client_as, director: User, clerk: User
) -> None:
    response = client_as(director).post(
        "/api/v1/staffing/rosters/staff-fact",
        {"user": clerk.pk, "kind": "failed_annual_assessment", "occurred_on": "2025-10-01"},
        content_type="application/json",
    )
    assert response.status_code == 422 and list(response.json()["errors"]) == ["kind"]
