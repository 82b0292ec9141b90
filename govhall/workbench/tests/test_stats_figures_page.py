"""Issue 18 item 1: the case figures page and `GET /api/v1/stats/figures`."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import local, make_case
from govhall.testing.factories import DepartmentFactory, ServiceItemFactory, make_staff

OCTOBER = {"period": "month", "date": "2025-10-15"}


@pytest.fixture
def cases(county: Center, town: Center, department: Department) -> None:
    item = ServiceItemFactory(center=county, department=department, name="食品经营许可")
    for day, hour in ((13, 10), (14, 11)):
        moment = local(2025, 10, day, hour)
        make_case(
            item,
            None,
            kind=CaseKind.IMMEDIATE,
            received=moment,
            accepted=moment,
            status=CaseStatus.APPROVED,
            decided_at=moment,
        )
    town_item = ServiceItemFactory(center=town, department=DepartmentFactory(center=town))
    make_case(town_item, None, received=local(2025, 10, 20))
    rebuild()


def test_the_page_shows_the_figures_with_hints_and_links(
    cases: None, client_as, director: User, county: Center
) -> None:
    client: Client = client_as(director)
    response = client.get("/staff/stats/", {**OCTOBER, "dimension": "department"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="received"' in page and "figures-chart-data" in page
    # the hint (definition) of on-time is on the page
    assert "按时" in page or "on or before the promised deadline" in page
    total = response.context["totals"]
    received = next(figure for figure in total if figure["code"] == "received")
    assert received["value"] == 3
    assert "status=all" in received["link"] and "from=2025-10-01" in received["link"]
    departments = [row["label"] for row in response.context["rows"]]
    assert len(departments) == 2
    # the drill-down opens the case list with those filters
    assert client.get(received["link"]).status_code == 200


def test_a_town_director_reads_only_the_town(cases: None, client_as, town: Center) -> None:
    client = client_as(make_staff(Role.DIRECTOR, town))
    response = client.get("/staff/stats/", OCTOBER)
    total = {figure["code"]: figure["value"] for figure in response.context["totals"]}
    assert total["received"] == 1 and total["completed"] == 0


def test_a_clerk_gets_404_and_a_bad_date_a_message(
    cases: None, client_as, clerk: User, director: User
) -> None:
    assert client_as(clerk).get("/staff/stats/").status_code == 404
    response = client_as(director).get("/staff/stats/", {"period": "range", "from": "2025-13-01"})
    assert response.status_code == 200 and response.context["error"]


def test_the_api_answers_the_figures(cases: None, client_as, director: User) -> None:
    client = client_as(director)
    response = client.get("/api/v1/stats/figures", {**OCTOBER, "dimension": "kind"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["first"] == "2025-10-01" and body["last"] == "2025-10-31"
    assert body["total"]["values"]["received"] == 3
    assert body["total"]["values"]["on_time_rate"] == 100.0
    assert {row["key"]: row["values"]["received"] for row in body["rows"]} == {
        "immediate": 2,
        "promised": 1,
    }
    assert body["previous_first"] == "2025-09-01"
    assert any(d["code"] == "on_time" for d in body["definitions"])


def test_the_api_refuses_bad_input_and_strangers(
    cases: None, client_as, director: User, clerk: User
) -> None:
    client = client_as(director)
    bad = client.get(
        "/api/v1/stats/figures", {"period": "range", "from": "2025-10-31", "to": "2025-10-01"}
    )
    assert bad.status_code == 422 and "to" in bad.json()["errors"]
    assert client.get("/api/v1/stats/figures", {"dimension": "galaxy"}).status_code == 422
    assert client.get("/api/v1/stats/figures", {"date": "nope"}).status_code == 422
    assert client_as(clerk).get("/api/v1/stats/figures").status_code == 404


def test_today_default(client_as, director: User) -> None:
    response = client_as(director).get("/staff/stats/")
    assert response.status_code == 200
    choice = response.context["choice"]
    assert choice.period == "month" and choice.first.day == 1
    assert (choice.last + datetime.timedelta(days=1)).day == 1
