"""The `actions` endpoints of the leave, absence, appointment and inquiry state machines: each
answers what the caller may do now, from the same table the services check; and the leave
endorsement of a window head has its own door."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_slots import bookable_days
from govhall.frontdesk.services.inquiries import inquiry_log
from govhall.staffing.models.leave import Leave
from govhall.staffing.services.leave import leave_request
from govhall.staffing.services.presence import absence_start
from govhall.testing.appointments import id_number
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["action"] for row in response.json()["actions"]]


@pytest.fixture
def window(county, department, window_head, clerk):
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk)
    return window


def long_leave(clerk, center_id: int) -> Leave:
    first = calendar_for(center_id).next_workday(timezone.localdate() + datetime.timedelta(7))
    last = calendar_for(center_id).next_workday(first + datetime.timedelta(1))
    tz = timezone.get_current_timezone()
    return leave_request(
        actor=clerk,
        kind="annual",
        starts_at=timezone.make_aware(datetime.datetime.combine(first, datetime.time(8, 30)), tz),
        ends_at=timezone.make_aware(datetime.datetime.combine(last, datetime.time(17, 30)), tz),
        reason="年休",
    )


def test_leave_actions_and_the_head_endorsement(
    client_as, clerk, window_head, director, window, outsider
):
    leave = long_leave(clerk, window.center_id)
    url = f"/api/v1/staffing/leave/{leave.pk}"
    assert names(client_as(clerk).get(f"{url}/actions")) == ["cancel"]
    head = client_as(window_head)
    assert names(head.get(f"{url}/actions")) == ["endorse", "reject"]
    assert names(client_as(director).get(f"{url}/actions")) == ["approve", "reject"]
    assert client_as(outsider).get(f"{url}/actions").status_code == 404
    head = client_as(window_head)  # one test client, logged in as each in turn
    endorsed = head.post(f"{url}/endorse", {"note": "同意"}, content_type="application/json")
    assert endorsed.status_code == 200 and endorsed.json()["status"] == "pending"
    leave.refresh_from_db()
    assert leave.head_approved_by == window_head
    # The head has acted: a second endorsement is a conflict that says why (issue 17 item 5),
    # not a 404 as if the leave had vanished.
    again = head.post(f"{url}/endorse", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"]
    assert names(client_as(director).get(f"{url}/actions")) == ["approve", "reject"]


def test_absence_actions(client_as, clerk, window_head, window, outsider):
    absence = absence_start(
        actor=clerk, whereabouts="档案室", until=timezone.now() + datetime.timedelta(minutes=40)
    )
    url = f"/api/v1/staffing/presence/absence/{absence.pk}/actions"
    assert names(client_as(clerk).get(url)) == ["return"]
    assert names(client_as(window_head).get(url)) == ["approve", "return"]
    assert client_as(outsider).get(url).status_code == 404


def test_appointment_actions(client_as, clerk, director, queue_groups):
    group = queue_groups["A"]
    day = bookable_days(group, timezone.localdate())[-1]
    appointment = appointment_book(
        actor=clerk,
        group=group,
        date=day,
        starts=datetime.time(8, 30),
        name="申请人",
        id_number=id_number(7),
        phone="13800000007",
        channel="phone",
    )
    url = f"/api/v1/frontdesk/appointments/{appointment.pk}/actions"
    assert names(client_as(clerk).get(url)) == ["cancel"]
    assert names(client_as(director).get(url)) == ["cancel"]


def test_inquiry_actions(client_as, guide, clerk_two, county, other_department):
    inquiry = inquiry_log(
        actor=guide,
        center=county,
        channel="phone",
        matter="不动产登记咨询",
        outcome="transferred",
        answer="",
        transferred_department=other_department,
        transferred_contact="王五",
    )
    url = f"/api/v1/frontdesk/inquiries/{inquiry.pk}/actions"
    assert names(client_as(guide).get(url)) == []
    assert names(client_as(clerk_two).get(url)) == ["acknowledge", "finish"]
