"""Issue 12 audit of the other manager-only pages: a town director posting the county's ids.

Queue groups, the appointment outage, the rosters and the window assignments judge the write on
the object's center (the services check it once more); these pin that down.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup
from govhall.staffing.models.roster import DutyAssignment
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def county_group(county, department):
    return ServiceGroup.objects.create(
        center=county, letter="A", name="市场监管", department=department, position=0
    )


def test_a_town_director_cannot_manage_the_countys_queue_groups(
    client_as, town_director, county, county_group
):
    client = client_as(town_director)
    new = reverse("workbench:queue_group_new")
    assert client.get(new, {"center": county.pk}).status_code == 404
    data = {"center": county.pk, "letter": "Z", "name": "外来", "slot_minutes": 30}
    assert client.post(new, data).status_code == 404
    edit = reverse("workbench:queue_group", args=[county_group.pk])
    assert client.post(edit, {"letter": "A", "name": "被改"}).status_code == 404
    build = reverse("workbench:queue_groups_build")
    assert client.post(build, {"center": county.pk}).status_code == 404
    assert list(ServiceGroup.objects.values_list("letter", "name")) == [("A", "市场监管")]


def test_a_town_director_cannot_close_the_countys_appointments(client_as, town_director, county):
    response = client_as(town_director).post(
        reverse("workbench:appointment_outage"),
        {
            "center": county.pk,
            "start": "2030-01-07T09:00",
            "end": "2030-01-07T12:00",
            "reason": "停电",
            "confirm": "1",
        },
    )
    # The county is not offered: the form refuses it on the field and nothing is closed.
    assert response.status_code == 400
    assert "center" in response.context["form"].errors


def test_a_town_director_cannot_change_the_countys_roster_or_assignments(
    client_as, town_director, county, clerk, department
):
    client = client_as(town_director)
    response = client.post(
        reverse("workbench:rosters"),
        {"center": county.pk, "date": "2030-01-07", "kind": "lunch", "user": clerk.pk},
    )
    assert response.status_code == 404
    assert not DutyAssignment.objects.exists()
    response = client.post(
        reverse("workbench:assignments"),
        {"staff": clerk.staff.pk, "department": department.pk, "starts_on": "2030-01-07"},
    )
    assert response.status_code == 404
