"""The assessment API: the month with tiers, a sheet with its causes, entries and publication,
the error policy (404 missing or forbidden, 422 refused, 409 stale)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from govhall.assessment.models import ScoreSheet
from govhall.assessment.services.fill import score_sheets_fill
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.testing.assessment import raise_alert

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessment"
MONTH = datetime.date(2025, 10, 1)


@pytest.fixture
def sheet(county: Center, window: Window, clerk: User, window_head: User) -> ScoreSheet:
    raise_alert(
        "post_empty.red", center=county, responsible=window_head, day=datetime.date(2025, 10, 8)
    )
    score_sheets_fill(month=MONTH)
    return ScoreSheet.objects.get(person=window_head, month=MONTH)


def post(client, url: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json")


def test_month_lists_tiers_and_windows(client_as, director: User, sheet: ScoreSheet) -> None:
    body = client_as(director).get(f"{BASE}/month", {"month": "2025-10"}).json()
    tiers = {row["sheet"]["id"]: row["tier"] for row in body["rows"]}
    assert tiers[sheet.pk] == "bottom"
    assert body["windows"][0]["score"] == "99.0"
    assert body["red_flag_window_ids"] == [body["windows"][0]["id"]]


def test_month_workbook(client_as, director: User, sheet: ScoreSheet) -> None:
    response = client_as(director).get(f"{BASE}/month.xlsx", {"month": "2025-10"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    scores = [row[3] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert sorted(scores) == [98, 100]  # type: ignore[type-var]


def test_sheet_names_its_alert(client_as, window_head: User, sheet: ScoreSheet) -> None:
    body = client_as(window_head).get(f"{BASE}/sheets/{sheet.pk}").json()
    assert body["score"] == "98.0" and body["grade"] == "excellent"
    assert body["entries"][0]["alert_id"] is not None
    assert body["actions"] == []


def test_entry_publish_and_correction(client_as, director: User, sheet: ScoreSheet) -> None:
    client = client_as(director)
    url = f"{BASE}/sheets/{sheet.pk}/entries"
    bad = post(client, url, {"action": "deduct", "points": "0.3", "reason": "x", "evidence": "y"})
    assert bad.status_code == 422 and "points" in bad.json()["errors"]
    stale = post(
        client,
        url,
        {"action": "deduct", "points": "5", "reason": "档案丢失", "evidence": "y", "version": 9},
    )
    assert stale.status_code == 409
    ok = post(
        client,
        url,
        {"action": "deduct", "points": "5", "reason": "档案丢失", "evidence": "记录"},
    )
    assert ok.status_code == 201 and ok.json()["score"] == "93.0"
    assert ok.json()["grade"] == "pass"
    assert post(client, f"{BASE}/sheets/{sheet.pk}/publish", {}).status_code == 409
    assert post(client, f"{BASE}/sheets/{sheet.pk}/review", {}).status_code == 200
    published = post(client, f"{BASE}/sheets/{sheet.pk}/publish", {})
    assert published.json()["status"] == "published"
    frozen = post(client, url, {"action": "bonus", "points": "1", "reason": "x", "evidence": "y"})
    assert frozen.status_code == 409
    fixed = post(
        client, url, {"action": "correct", "points": "-0.5", "reason": "复核", "evidence": "z"}
    )
    assert fixed.status_code == 201
    assert fixed.json()["entries"][-1]["after_publication"] is True
    assert fixed.json()["score"] == "92.5"


def test_forbidden_is_404(
    client_as, outsider: User, clerk: User, window_head: User, sheet: ScoreSheet
) -> None:
    body = {"action": "deduct", "points": "1", "reason": "x", "evidence": "y"}
    assert client_as(outsider).get(f"{BASE}/sheets/{sheet.pk}").status_code == 404
    assert client_as(clerk).get(f"{BASE}/sheets/{sheet.pk}").status_code == 404
    assert (
        post(client_as(window_head), f"{BASE}/sheets/{sheet.pk}/entries", body).status_code == 404
    )
    assert client_as(clerk).get(f"{BASE}/month").status_code == 404
    assert client_as(clerk).get(f"{BASE}/mine").status_code == 200


def test_weights(client_as, director: User, county: Center) -> None:
    client = client_as(director)
    url = f"{BASE}/weights/{county.pk}"
    bad = client.put(
        url,
        {"self": 30, "leader": 30, "patrol": 30, "citizen": 30, "social": 30},
        content_type="application/json",
    )
    assert bad.status_code == 422
    good = client.put(
        url,
        {"self": 5, "leader": 25, "patrol": 40, "citizen": 20, "social": 10},
        content_type="application/json",
    )
    assert good.status_code == 200 and client.get(url).json()["leader"] == 25
