"""Issue 12 item 2 through the pages and the API: the national schedule is the system
administrator's; a center's closures are its own managers' (subtree), never a parent's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.core.roles import Role
from govhall.testing.factories import make_staff
from govhall.workdays.models import CenterDay, ScheduleYear
from govhall.workdays.queries.work_calendar import ScheduleEntry
from govhall.workdays.services.schedules import schedule_import

pytestmark = pytest.mark.django_db
CALENDAR = reverse("workbench:calendar")
IMPORT = reverse("workbench:calendar_import")
TEXT = "2027-01-01,休,元旦\n"


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def imported():
    return schedule_import(
        actor=None,
        year=2027,
        days=[ScheduleEntry(datetime.date(2027, 1, 1), False, "元旦")],
        source="国办发明电",
    )


def add_closure(client, center):
    return client.post(
        reverse("workbench:calendar_day_add", args=[center.pk]),
        {"date": "2025-10-14", "kind": "closed", "reason": "停电", "year": 2025},
    )


@pytest.mark.parametrize("who", ["town_director", "director"])
def test_directors_cannot_import_or_remove_the_national_schedule(client_as, request, who, imported):
    client = client_as(request.getfixturevalue(who))
    assert client.get(IMPORT).status_code == 404
    response = client.post(
        IMPORT, {"mode": "text", "text-year": 2028, "text-text": TEXT.replace("2027", "2028")}
    )
    assert response.status_code == 404
    remove = reverse("workbench:calendar_schedule_remove", args=[2027])
    assert client.post(remove).status_code == 404
    assert list(ScheduleYear.objects.values_list("year", flat=True)) == [2027]
    html = client.get(CALENDAR, {"year": 2027}).content.decode()
    assert IMPORT not in html and remove not in html
    assert "国办发明电" in html  # the imported schedules are still listed, read-only


def test_the_system_administrator_sees_and_uses_the_import(client_as, admin_user, imported):
    client = client_as(admin_user)
    html = client.get(CALENDAR, {"year": 2027}).content.decode()
    remove = reverse("workbench:calendar_schedule_remove", args=[2027])
    assert IMPORT in html and remove in html
    assert client.post(remove).status_code == 302
    assert not ScheduleYear.objects.exists()


def test_a_town_director_cannot_close_the_county(client_as, town_director, county, town):
    client = client_as(town_director)
    assert add_closure(client, county).status_code == 404
    assert not CenterDay.objects.exists()
    assert add_closure(client, town).status_code == 302
    assert list(CenterDay.objects.values_list("center_id", flat=True)) == [town.pk]


def test_a_county_director_closes_his_town(client_as, director, town):
    assert add_closure(client_as(director), town).status_code == 302
    assert CenterDay.objects.filter(center_id=town.pk).exists()


def test_the_calendar_api_writes_only_center_days_within_scope(
    client_as, town_director, county, town
):
    """The national schedule stays read-only in the API (pages and CLI import it); a center's
    closures may be written there since issue 16 item 9, under the pages' rule: a town director
    closes his own town, never the county above."""
    document = client_as(town_director).get("/api/v1/openapi.json").json()
    writes = {
        path
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/calendar/")
        for method in operations
        if method != "get"
    }
    assert writes and all(path.startswith("/api/v1/calendar/centers/") for path in writes)
    body = {"date": "2025-10-14", "kind": "closed", "reason": "停电"}
    client = client_as(town_director)
    above = client.post(f"/api/v1/calendar/centers/{county.pk}/days", body, "application/json")
    assert above.status_code == 404
    assert not CenterDay.objects.filter(center_id=county.pk).exists()
    own = client.post(f"/api/v1/calendar/centers/{town.pk}/days", body, "application/json")
    assert own.status_code == 201
    assert CenterDay.objects.filter(center_id=town.pk).exists()
