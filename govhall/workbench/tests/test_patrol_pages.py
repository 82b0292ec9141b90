"""Patrol pages: starting a round, the checklist of a window (notes, photos), the photo behind an
access check, and the weekly summary (page and xlsx read back)."""

from __future__ import annotations

import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.supervision.models import Alert, PatrolFinding, PatrolRound, PatrolVisit
from govhall.supervision.services.patrols import (
    FindingDraft,
    patrol_round_start,
    patrol_visit_record,
)
from govhall.testing.factories import DepartmentFactory, make_staff
from govhall.testing.patrols import DAY, PDF, PNG, Desk, at, make_desk, photo, workday_today
from govhall.testing.supervision import ensure_default_rules

pytestmark = pytest.mark.django_db

MONDAY = DAY - datetime.timedelta(days=DAY.weekday())


@pytest.fixture(autouse=True)
def rules(db: None) -> None:
    ensure_default_rules()  # a transactional test elsewhere may have flushed them


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def desk(county: Center, department: Department) -> Desk:
    return make_desk(county, department, 1, "1")


def checklist(**failed: str) -> dict[str, Any]:
    """A checklist post: every point ticked but those in `failed` (point → note)."""
    data: dict[str, Any] = {}
    for point in ("conduct", "post", "dress", "tidiness", "phone", "complaint"):
        if point in failed:
            data[f"{point}_note"] = failed[point]
            data[f"{point}_alert"] = "on"
        else:
            data[f"{point}_ok"] = "on"
    return data


def test_rounds_page_for_patrollers_only(client_as, director: User, clerk: User) -> None:  # type: ignore[no-untyped-def]
    url = reverse("workbench:patrols")
    assert client_as(clerk).get(url).status_code == 404
    response = client_as(director).get(url)
    assert response.status_code == 200
    assert b'id="patrol-start"' in response.content


def test_start_round_and_record_a_window(
    client_as,
    director: User,
    county: Center,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    workday_today(county)
    client = client_as(director)
    response = client.post(reverse("workbench:patrols"), {"center": county.pk, "session": ""})
    patrol = PatrolRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:patrol_round", args=[patrol.pk])
    page = client.get(response["Location"])
    window_url = reverse("workbench:patrol_window", args=[patrol.pk, desk.window.pk])
    assert window_url.encode() in page.content
    # A failed point without a note: refused, nothing recorded.
    refused = client.post(window_url, {**checklist(dress=""), "dress_note": ""})
    assert refused.status_code == 200
    assert not PatrolVisit.objects.exists()
    # With a note and a photo that is not an image by content: refused by the service.
    fake = photo(PDF, "scene.png")
    refused = client.post(window_url, {**checklist(dress="未佩戴工作牌"), "dress_photo": fake})
    assert refused.status_code == 200
    assert "JPEG" in refused.content.decode()
    assert not PatrolVisit.objects.exists()
    done = client.post(
        window_url, {**checklist(dress="未佩戴工作牌"), "dress_photo": photo(PNG, "a.png")}
    )
    assert done.status_code == 302
    finding = PatrolFinding.objects.get()
    assert (finding.point, finding.note) == ("dress", "未佩戴工作牌")
    assert Alert.objects.get(rule__code="patrol_finding.yellow").responsible == desk.a
    # Once per round: the checklist page sends back to the round.
    assert client.get(window_url).status_code == 302


def test_others_cannot_record_on_the_round(
    client_as,
    director: User,
    supervisor: User,
    county: Center,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    patrol = patrol_round_start(actor=director, center=county, at=at(DAY, 10))
    url = reverse("workbench:patrol_window", args=[patrol.pk, desk.window.pk])
    assert client_as(supervisor).post(url, checklist()).status_code == 404
    assert not PatrolVisit.objects.exists()


def _finding(director: User, county: Center, desk: Desk) -> PatrolFinding:
    patrol = patrol_round_start(actor=director, center=county, at=at(DAY, 10))
    visit = patrol_visit_record(
        actor=director,
        patrol_round=patrol,
        window=desk.window,
        findings=[FindingDraft(point="conduct", note="态度生硬", photo=photo())],
        at=at(DAY, 10, 5),
    )
    return visit.findings.get()


def test_photo_served_only_with_access(
    client_as,
    director: User,
    dept_leader: User,
    outsider: User,
    clerk: User,  # type: ignore[no-untyped-def]
    county: Center,
    desk: Desk,
) -> None:
    finding = _finding(director, county, desk)
    url = reverse("workbench:patrol_photo", args=[finding.pk])
    response = client_as(director).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert client_as(dept_leader).get(url).status_code == 200  # the window's department
    other_leader = make_staff(
        Role.DEPT_LEADER, county, DepartmentFactory(center=county), username="leader2"
    )
    for user in (outsider, clerk, other_leader):
        assert client_as(user).get(url).status_code == 404
    assert not str(finding.photo.name).startswith("/")


def test_weekly_summary_page_and_xlsx(
    client_as,
    director: User,
    county: Center,
    desk: Desk,
    department: Department,  # type: ignore[no-untyped-def]
) -> None:
    _finding(director, county, desk)
    second = make_desk(county, department, 2, "2")
    afternoon = patrol_round_start(actor=director, center=county, at=at(DAY, 15))
    patrol_visit_record(
        actor=director,
        patrol_round=afternoon,
        window=second.window,
        findings=[
            FindingDraft(point="conduct", note="大声喧哗"),
            FindingDraft(point="phone", note="未接电话"),
        ],
        at=at(DAY, 15, 5),
    )
    client = client_as(director)
    query = {"center": county.pk, "week": DAY.isoformat()}
    page = client.get(reverse("workbench:patrol_summary"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert MONDAY.isoformat() in text
    assert "态度生硬" in text and "未接电话" in text
    summary = page.context["summary"]
    assert summary.rounds_done == 2
    # Mon 13 Oct: both sessions missed; Tue 14: both done; Wed–Fri: missed (the week is over).
    assert summary.sessions_missed == 8
    assert {point: count for point, _label, count in summary.by_point} == {
        "conduct": 2,
        "post": 0,
        "dress": 0,
        "tidiness": 0,
        "phone": 1,
        "complaint": 0,
    }
    assert [(window.number, count) for window, count in summary.by_window] == [(2, 2), (1, 1)]
    assert summary.by_department == [(department.name, 3)]

    download = client.get(reverse("workbench:patrol_summary_xlsx"), query)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    book = load_workbook(BytesIO(download.content))
    assert len(book.sheetnames) == 5
    rounds = list(book.worksheets[0].iter_rows(values_only=True))
    assert rounds[0][0] == county.name
    days = {row[0]: row[1:3] for row in rounds[2:9]}
    assert days[DAY.isoformat()][0] == days[DAY.isoformat()][1]
    assert days[MONDAY.isoformat()][0] != days[DAY.isoformat()][0]
    points = {row[0]: row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert sorted(int(str(count)) for count in points.values()) == [0, 0, 0, 0, 1, 2]
    windows = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in windows] == [(2, 2), (1, 1)]
    departments = list(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert departments == [(department.name, 3)]
    findings = list(book.worksheets[4].iter_rows(min_row=2, values_only=True))
    assert {row[5] for row in findings} == {"态度生硬", "大声喧哗", "未接电话"}
    assert [row[7] for row in findings].count(None) == 2  # one photo among three


def test_department_leader_reads_only_their_windows_in_the_summary(
    client_as,
    director: User,
    county: Center,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    _finding(director, county, desk)
    other = DepartmentFactory(center=county)
    leader = make_staff(Role.DEPT_LEADER, county, other, username="leader2")
    page = client_as(leader).get(
        reverse("workbench:patrol_summary"), {"center": county.pk, "week": DAY.isoformat()}
    )
    assert page.status_code == 200
    assert page.context["summary"].findings == []
    assert "态度生硬" not in page.content.decode()
