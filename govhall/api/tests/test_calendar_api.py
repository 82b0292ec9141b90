"""Calendar API: public reads, the same answers as the CLI, clear 422 on bad input."""

from __future__ import annotations

import datetime

import pytest

from govhall.workdays.queries.work_calendar import ScheduleEntry
from govhall.workdays.services.center_days import center_day_set
from govhall.workdays.services.schedules import schedule_import

pytestmark = pytest.mark.django_db
BASE = "/api/v1/calendar"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_is_workday_for_holidays_makeup_days_and_closures(client, county):
    center_day_set(
        actor=None,
        center_id=county.pk,
        date=datetime.date(2025, 10, 9),
        kind="closed",
        reason="停电",
    )
    makeup = client.get(f"{BASE}/is-workday", {"date": "2025-09-28"}).json()
    assert makeup == {
        "date": "2025-09-28",
        "is_workday": True,
        "kind": "makeup",
        "note": makeup["note"],
        "center": None,
        "covered": True,
    }
    holiday = client.get(f"{BASE}/is-workday", {"date": "2025-10-06"}).json()
    assert (holiday["is_workday"], holiday["kind"]) == (False, "holiday")
    national = client.get(f"{BASE}/is-workday", {"date": "2025-10-09"}).json()
    assert national["is_workday"] is True
    closed = client.get(f"{BASE}/is-workday", {"date": "2025-10-09", "center": county.code}).json()
    assert (closed["is_workday"], closed["kind"], closed["note"]) == (False, "closed", "停电")
    uncovered = client.get(f"{BASE}/is-workday", {"date": "2027-01-01"}).json()
    assert (uncovered["is_workday"], uncovered["covered"]) == (True, False)


def test_deadline_and_workdays(client, county):
    assert client.get(f"{BASE}/deadline", {"start": "2025-09-30", "days": 5}).json() == {
        "start": "2025-09-30",
        "days": 5,
        "end": "2025-10-14",
        "center": None,
        "uncovered_years": [],
    }
    across = client.get(
        f"{BASE}/deadline", {"start": "2026-12-30", "days": 5, "center": county.code}
    ).json()
    assert (across["end"], across["uncovered_years"], across["center"]) == (
        "2027-01-06",
        [2027],
        county.code,
    )
    counted = client.get(f"{BASE}/workdays", {"first": "2025-10-01", "last": "2025-10-31"})
    assert counted.status_code == 200
    assert counted.json()["workdays"] == 18


def test_coverage_follows_imports(client, django_capture_on_commit_callbacks):
    body = client.get(f"{BASE}/coverage", {"years": "2025,2027"}).json()
    assert body == {
        "years": [
            {"year": 2025, "covered": True, "source": "package"},
            {"year": 2027, "covered": False, "source": None},
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        schedule_import(
            actor=None,
            year=2027,
            days=[ScheduleEntry(datetime.date(2027, 1, 1), False, "元旦")],
            source="",
        )
    body = client.get(f"{BASE}/coverage", {"years": "2027"}).json()
    assert body["years"] == [{"year": 2027, "covered": True, "source": "imported"}]
    assert client.get(f"{BASE}/deadline", {"start": "2026-12-31", "days": 1}).json()["end"] == (
        "2027-01-04"
    )
    assert len(client.get(f"{BASE}/coverage").json()["years"]) == 2  # this year and next


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("is-workday", {"date": "2025-02-30"}, 422, "date"),
        ("is-workday", {}, 422, "date"),
        ("is-workday", {"date": "1999-12-31"}, 422, "2000-01-01"),
        ("is-workday", {"date": "2025-10-01", "center": "NOPE"}, 422, "NOPE"),
        ("deadline", {"start": "2025-09-30", "days": -1}, 422, "days"),
        ("deadline", {"start": "2025-09-30", "days": "x"}, 422, "days"),
        ("deadline", {"start": "2099-12-30", "days": 5}, 422, "2099"),
        ("workdays", {"first": "2025-10-31", "last": "2025-10-01"}, 422, "reversed"),
        ("coverage", {"years": "2025,next"}, 422, "commas"),
        ("coverage", {"years": "1999"}, 422, "2000"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, path, params, status, words):
    response = client.get(f"{BASE}/{path}", params, **EN)
    assert response.status_code == status
    assert words in str(response.json()["detail"])
    # Refused input names the field at fault (the error policy, api/schemas.py).
    assert response.json()["errors"]


def test_reads_are_public_and_need_no_login(client):
    response = client.get(f"{BASE}/is-workday", {"date": "2025-10-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
