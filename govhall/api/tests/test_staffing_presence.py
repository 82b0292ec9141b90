"""Presence API: who serves, the board, the where-and-until sign, approval and empty posts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Absence, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.services.presence import absence_start
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/staffing/presence"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hall(county, department, clerk, window_head):
    b = make_staff(Role.CLERK, county, department, username="bee", window_staff=True)
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    signed_in(clerk, b, window_head)  # today: the tests ask about now
    return PostFactory(window=window, a_staff=clerk, b_staff=b), b


def later_moment(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def later(minutes: int) -> str:
    return later_moment(minutes).isoformat()


def test_needs_login(client, hall):
    post, _b = hall
    assert client.get(f"{BASE}/who-serves", {"post": post.pk}).status_code == 401


def test_who_serves_follows_leave(client_as, hall, clerk, county, director):
    post, b = hall
    client = client_as(director)
    body = client.get(f"{BASE}/who-serves", {"post": post.pk}).json()
    assert (body["user"]["id"], body["role"], body["empty"]) == (clerk.pk, "a", False)
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.SICK,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(days=1),
        reason="病",
        status=LeaveStatus.APPROVED,
    )
    body = client.get(f"{BASE}/who-serves", {"post": post.pk}).json()
    assert (body["user"]["id"], body["role"]) == (b.pk, "b")
    past = (timezone.now() - datetime.timedelta(hours=2)).isoformat()
    assert client.get(f"{BASE}/who-serves", {"post": post.pk, "at": past}).json()["role"] == "a"


def test_outsider_sees_nothing(client_as, hall, outsider, county):
    post, _b = hall
    client = client_as(outsider)
    assert client.get(f"{BASE}/who-serves", {"post": post.pk}).status_code == 404
    assert client.get(f"{BASE}/board", {"center": county.pk}).status_code == 404
    assert client.get(f"{BASE}/vacancies", {"center": county.pk}).status_code == 404


def test_absence_flow_and_board(client_as, hall, clerk, window_head, director, county):
    post, b = hall
    client = client_as(clerk)
    created = client.post(
        f"{BASE}/absence",
        {"whereabouts": "档案室", "until": later(45)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    absence = created.json()
    assert absence["needs_approval"] is True and absence["status"] == "away"
    again = client.post(
        f"{BASE}/absence",
        {"whereabouts": "x", "until": later(5)},
        content_type="application/json",
        **EN,
    )
    assert again.status_code == 409 and "already away" in again.json()["detail"]
    board = client_as(director).get(f"{BASE}/board", {"center": county.pk}).json()
    (row,) = board["windows"][0]["posts"]
    assert (row["user"]["id"], row["role"]) == (b.pk, "b")
    assert [sign["whereabouts"] for sign in board["signs"]] == ["档案室"]
    approve = f"{BASE}/absence/{absence['id']}/approve"
    assert (
        client_as(b).post(approve, {"cover": b.pk}, content_type="application/json").status_code
        == 404
    )
    approved = client_as(window_head).post(
        approve, {"cover": b.pk}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["cover_id"] == b.pk
    assert Delegation.objects.filter(post=post, cover_user=b).exists()
    # Approved meanwhile (another tab, another decider): a conflict, nothing changes.
    twice = client_as(window_head).post(approve, {"cover": b.pk}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["detail"]
    assert Delegation.objects.filter(post=post, cover_user=b).count() == 1
    back = client_as(clerk).post(f"{BASE}/absence/return")
    assert back.status_code == 200 and back.json()["status"] == "returned"
    # The sign is already down: the page that offered "I am back" is stale.
    assert client_as(clerk).post(f"{BASE}/absence/return").status_code == 409
    ended = client_as(window_head).post(approve, {"cover": b.pk}, content_type="application/json")
    assert ended.status_code == 409


def test_absence_bad_until_changes_nothing(client_as, hall, clerk):
    response = client_as(clerk).post(
        f"{BASE}/absence",
        {"whereabouts": "x", "until": later(-5)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"until"}
    assert not Absence.objects.exists()


def test_absence_refusal_names_every_field(client_as, hall, clerk):
    response = client_as(clerk).post(
        f"{BASE}/absence",
        {"whereabouts": "  ", "until": later(-5)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"whereabouts", "until"}
    assert not Absence.objects.exists()


def test_approving_with_a_cover_from_elsewhere_is_a_field_error(
    client_as, hall, clerk, window_head
):
    absence = absence_start(actor=clerk, whereabouts="档案室", until=later_moment(45))
    response = client_as(window_head).post(
        f"{BASE}/absence/{absence.pk}/approve",
        {"cover": 10**9},
        content_type="application/json",
    )
    assert response.status_code == 422 and list(response.json()["errors"]) == ["cover"]


def test_vacancies_for_managers_only(client_as, hall, director, supervisor, clerk, county):
    post, _b = hall
    PostVacancy.objects.create(post=post, center=county, started_at=timezone.now())
    for user in (director, supervisor):
        body = client_as(user).get(f"{BASE}/vacancies", {"open_only": True}).json()
        assert [(v["post_id"], v["ended_at"]) for v in body["items"]] == [(post.pk, None)]
    assert client_as(clerk).get(f"{BASE}/vacancies").status_code == 404
