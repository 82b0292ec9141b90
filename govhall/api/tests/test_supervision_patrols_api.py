"""Patrols API: start a round, record windows, findings as multipart with a photo checked by
content, finish; 404 outside scope, 422 refused input, 409 twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from govhall.core.models import User
from govhall.org.models import Center, Department
from govhall.supervision.models import Alert, PatrolFinding
from govhall.testing.factories import WindowFactory
from govhall.testing.patrols import PDF, PNG, Desk, make_desk, photo, workday_today
from govhall.testing.supervision import ensure_default_rules

BASE = "/api/v1/supervision/patrols"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setup(settings, tmp_path: Path, county: Center) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    ensure_default_rules()
    workday_today(county)


@pytest.fixture
def desk(county: Center, department: Department) -> Desk:
    return make_desk(county, department, 1, "1")


def test_walk_a_round_through_the_api(
    client_as, director: User, county: Center, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    api = client_as(director)
    started = api.post(f"{BASE}/rounds", {"center_id": county.pk}, content_type="application/json")
    assert started.status_code == 201, started.content
    round_id = started.json()["id"]
    assert started.json()["session"] in {"morning", "afternoon"}
    visit = api.post(
        f"{BASE}/rounds/{round_id}/visits",
        {"window_id": desk.window.pk},
        content_type="application/json",
    )
    assert visit.status_code == 201, visit.content
    assert visit.json()["serving"] == [desk.a.pk]
    visit_id = visit.json()["id"]
    again = api.post(
        f"{BASE}/rounds/{round_id}/visits",
        {"window_id": desk.window.pk},
        content_type="application/json",
    )
    assert again.status_code == 409

    bad = api.post(
        f"{BASE}/visits/{visit_id}/findings",
        {"point": "dress", "note": "未佩戴工作牌", "photo": photo(PDF, "x.png")},
    )
    assert bad.status_code == 422 and "photo" in bad.json()["errors"]
    no_note = api.post(f"{BASE}/visits/{visit_id}/findings", {"point": "dress", "note": " "})
    assert no_note.status_code == 422 and "note" in no_note.json()["errors"]
    assert not PatrolFinding.objects.exists()

    added = api.post(
        f"{BASE}/visits/{visit_id}/findings",
        {"point": "dress", "note": "未佩戴工作牌", "photo": photo(PNG, "x.png")},
    )
    assert added.status_code == 201, added.content
    assert added.json()["photo_url"].endswith(f"/findings/{added.json()['id']}/photo/")
    assert Alert.objects.get(rule__code="patrol_finding.yellow").responsible == desk.a
    assert api.get(added.json()["photo_url"]).status_code == 200

    detail = api.get(f"{BASE}/rounds/{round_id}").json()
    assert [v["window_id"] for v in detail["visits"]] == [desk.window.pk]
    assert detail["visits"][0]["findings"][0]["point"] == "dress"
    assert api.get(f"{BASE}/rounds").json()["count"] == 1

    finished = api.post(f"{BASE}/rounds/{round_id}/finish", {}, content_type="application/json")
    assert finished.status_code == 200 and finished.json()["finished_at"]
    late = api.post(f"{BASE}/visits/{visit_id}/findings", {"point": "phone", "note": "晚了"})
    assert late.status_code == 409


def test_refusals(
    client_as,
    director: User,
    clerk: User,
    outsider: User,
    county: Center,
    other_county: Center,
    desk: Desk,
) -> None:  # type: ignore[no-untyped-def]
    api = client_as(director)
    assert (
        api.post(
            f"{BASE}/rounds", {"center_id": other_county.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    round_id = api.post(
        f"{BASE}/rounds", {"center_id": county.pk}, content_type="application/json"
    ).json()["id"]
    elsewhere = WindowFactory(center=other_county, number=5)
    wrong = api.post(
        f"{BASE}/rounds/{round_id}/visits",
        {"window_id": elsewhere.pk},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "window" in wrong.json()["errors"]
    for user in (clerk, outsider):
        other = client_as(user)
        assert other.get(f"{BASE}/rounds/{round_id}").status_code == 404
        assert (
            other.post(
                f"{BASE}/rounds/{round_id}/visits",
                {"window_id": desk.window.pk},
                content_type="application/json",
            ).status_code
            == 404
        )
    assert client_as(clerk).get(f"{BASE}/rounds").status_code == 404
