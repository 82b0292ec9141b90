"""Issue 16 item 9 through the API: setting a center's closure or extra working day, optionally
for every center below in one step; removing it (and its copies below)."""

from __future__ import annotations

import datetime

import pytest

from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import CenterFactory
from govhall.workdays.access import calendar as calendar_access
from govhall.workdays.models import CenterDay
from govhall.workdays.services.center_days import center_day_set

pytestmark = pytest.mark.django_db
BASE = "/api/v1/calendar"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JSON = "application/json"


@pytest.fixture
def village(town):
    return CenterFactory(code="33010104", name="示例村点", level=CenterLevel.VILLAGE, parent=town)


def _days() -> dict[int, tuple[str, int | None]]:
    return {d.center_id: (d.reason, d.cascaded_from) for d in CenterDay.objects.all()}


def test_set_with_include_below_and_remove(
    client_as, director, county, town, village, django_capture_on_commit_callbacks
):
    client = client_as(director)
    center_day_set(
        actor=None, center_id=town.pk, date=datetime.date(2025, 10, 14), kind="closed", reason="镇"
    )
    body = {"date": "2025-10-14", "kind": "closed", "reason": "台风", "include_below": True}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/centers/{county.pk}/days", body, content_type=JSON)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["center_id"], answer["kind"], answer["reason"]) == (county.pk, "closed", "台风")
    assert answer["applied_below"] == [village.pk]
    assert answer["kept_below"] == [town.pk]
    assert _days() == {
        county.pk: ("台风", None),
        town.pk: ("镇", None),
        village.pk: ("台风", county.pk),
    }
    closed = client.get(f"{BASE}/is-workday", {"date": "2025-10-14", "center": village.code})
    assert closed.json()["is_workday"] is False

    remove = f"{BASE}/centers/{county.pk}/days/2025-10-14/remove"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"include_below": True}, content_type=JSON)
    assert response.status_code == 204
    assert _days() == {town.pk: ("镇", None)}


def test_without_the_option_only_the_center(client_as, director, county, town):
    body = {"date": "2025-10-14", "kind": "closed", "reason": "停电"}
    response = client_as(director).post(f"{BASE}/centers/{county.pk}/days", body, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["applied_below"] == []
    assert _days() == {county.pk: ("停电", None)}


def test_refusals(client, client_as, director, outsider, clerk, county, town, village, monkeypatch):
    body = {"date": "2025-10-14", "kind": "closed", "reason": "台风", "include_below": True}
    url = f"{BASE}/centers/{county.pk}/days"
    assert client.post(url, body, content_type=JSON).status_code == 401
    assert client_as(outsider).post(url, body, content_type=JSON).status_code == 404
    assert client_as(clerk).post(url, body, content_type=JSON).status_code == 404
    bad = client_as(director).post(url, body | {"date": "2025-10-04"}, content_type=JSON, **EN)
    assert bad.status_code == 422
    assert "date" in bad.json()["errors"]
    real_rule = calendar_access._center_rule
    monkeypatch.setattr(
        calendar_access,
        "_center_rule",
        lambda actor, center_id: center_id != village.pk and real_rule(actor, center_id),
    )
    refused = client_as(director).post(url, body, content_type=JSON, **EN)
    assert refused.status_code == 422
    assert village.name in refused.json()["detail"]
    assert not CenterDay.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("days", {"date": "2025-10-14", "kind": "x", "reason": "r"}, "kind"),
        ("days", {"date": "2025-10-14", "kind": "closed", "reason": "r" * 201}, "reason"),
        ("days", {"date": "1800-01-01", "kind": "closed", "reason": "r"}, "date"),
        ("days/2025-13-40/remove", {}, "date"),
        ("days/2025-10-14/remove", {}, "date"),  # nothing set that day
    ],
)
def test_bad_input_is_422_naming_the_field(client_as, director, county, path, body, field):
    url = f"{BASE}/centers/{county.pk}/{path}"
    response = client_as(director).post(url, body, content_type=JSON, **EN)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not CenterDay.objects.exists()
