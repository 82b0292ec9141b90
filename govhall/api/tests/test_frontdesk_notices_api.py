"""Hall notices through the API (issue 18 item 5): managers of a center list, write, withdraw and
delete them with the workbench's services, within their subtree (an outsider, a town director
on the county's notice and a missing one are the same 404); anyone reads the notices a center
shows now, rate limited."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.frontdesk.models import HallNotice
from govhall.org.models import Center
from govhall.testing.factories import make_staff

BASE = "/api/v1/frontdesk/notices"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def town_director(town: Center) -> User:
    return make_staff(Role.DIRECTOR, town, username="town_director")


def notice(center: Center, title: str, *, published: bool = True, **fields):  # type: ignore[no-untyped-def]
    values = {"starts_at": timezone.now() - HOUR, "is_published": published, **fields}
    return HallNotice.objects.create(center=center, title=title, **values)


def send(client: Client, method: str, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def test_scope_town_director_and_outsider(
    client_as, director, town_director, outsider, county, town
):
    county_notice = notice(county, "县公告")
    town_notice = notice(town, "镇公告")
    body = client_as(town_director).get(f"{BASE}/").json()
    assert [item["title"] for item in body["items"]] == ["镇公告"]
    assert body["items"][0]["shown_now"] is True
    client = client_as(town_director)
    assert client.get(f"{BASE}/{county_notice.pk}").status_code == 404
    assert client.get(f"{BASE}/?center={county.pk}").status_code == 404
    assert send(client, "post", f"{BASE}/{county_notice.pk}/withdraw").status_code == 404
    assert client.delete(f"{BASE}/{county_notice.pk}").status_code == 404
    assert client.get(f"{BASE}/{town_notice.pk}").json()["center_code"] == town.code
    assert client_as(director).get(f"{BASE}/").json()["count"] == 2
    outside = client_as(outsider)
    assert outside.get(f"{BASE}/").json()["count"] == 0
    assert outside.get(f"{BASE}/{town_notice.pk}").status_code == 404
    assert outside.get(f"{BASE}/999999").status_code == 404
    assert (
        send(
            outside,
            "put",
            f"{BASE}/{town_notice.pk}",
            {"title": "x", "starts_at": "2026-01-01T08:00"},
        ).status_code
        == 404
    )
    assert HallNotice.objects.get(pk=town_notice.pk).title == "镇公告"


def test_clerk_gets_404(client_as, clerk, county):
    made = notice(county, "县公告")
    client = client_as(clerk)
    assert client.get(f"{BASE}/").status_code == 404
    assert client.get(f"{BASE}/{made.pk}").status_code == 404


def test_create_update_withdraw_delete(client_as, town_director, town):
    client = client_as(town_director)
    starts = timezone.localtime() - HOUR
    made = send(
        client,
        "post",
        f"{BASE}/",
        {
            "center": town.pk,
            "title": "延时服务",
            "body": "周六上午照常办理",
            "starts_at": starts.isoformat(),
            "is_published": True,
        },
    )
    assert made.status_code == 201, made.content
    notice_id = made.json()["id"]
    assert made.json()["shown_now"] is True
    shown = Client().get(f"{BASE}/shown?center={town.code}").json()
    assert [item["title"] for item in shown] == ["延时服务"]
    changed = send(
        client,
        "put",
        f"{BASE}/{notice_id}",
        {"title": "延时服务（调整）", "starts_at": starts.isoformat(), "is_published": True},
    )
    assert changed.status_code == 200 and changed.json()["title"] == "延时服务（调整）"
    withdrawn = send(client, "post", f"{BASE}/{notice_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["is_published"] is False
    assert Client().get(f"{BASE}/shown?center={town.code}").json() == []
    again = send(client, "post", f"{BASE}/{notice_id}/withdraw")
    assert again.status_code == 409 and again.json()["detail"]
    assert Event.objects.filter(action="hall_notice.withdraw").count() == 1
    assert client.delete(f"{BASE}/{notice_id}").status_code == 204
    assert not HallNotice.objects.filter(pk=notice_id).exists()


def test_refused_input_is_422_with_fields(client_as, director, county):
    client = client_as(director)
    starts = timezone.localtime()
    refused = send(
        client,
        "post",
        f"{BASE}/",
        {
            "center": county.pk,
            "title": " ",
            "starts_at": starts.isoformat(),
            "ends_at": (starts - HOUR).isoformat(),
        },
    )
    assert refused.status_code == 422
    assert {"title", "ends_at"} <= set(refused.json()["errors"])
    too_long = send(
        client,
        "post",
        f"{BASE}/",
        {"center": county.pk, "title": "长" * 101, "starts_at": starts.isoformat()},
    )
    assert too_long.status_code == 422 and "title" in too_long.json()["errors"]
    assert not HallNotice.objects.exists()


def test_public_read_shows_only_current_and_is_rate_limited(client, county, town, settings):
    notice(county, "现行公告", body="正文")
    notice(county, "草稿", published=False)
    notice(county, "过期", starts_at=timezone.now() - 3 * HOUR, ends_at=timezone.now() - HOUR)
    notice(town, "镇公告")
    body = client.get(f"{BASE}/shown?center={county.code}").json()
    assert [(item["title"], item["body"]) for item in body] == [("现行公告", "正文")]
    assert client.get(f"{BASE}/shown?center=nowhere").status_code == 404
    settings.GOVHALL_PUBLIC_API_PER_MINUTE = 3
    codes = [client.get(f"{BASE}/shown?center={county.code}").status_code for _ in range(3)]
    assert codes[-1] == 429 or 429 in codes
    limited = client.get(f"{BASE}/shown?center={county.code}")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1


def test_list_queries_do_not_grow(client_as, director, county, town, django_assert_max_num_queries):
    client = client_as(director)
    notice(county, "一")
    client.get(f"{BASE}/")
    with django_assert_max_num_queries(10) as few:
        assert client.get(f"{BASE}/").json()["count"] == 1
    for n in range(12):
        notice(county if n % 2 else town, f"公告{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{BASE}/").json()["count"] == 13
