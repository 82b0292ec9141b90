"""The assessment pages: who sees what (another center's sheet is missing), the manual entry
form, the lifecycle buttons, the exports parsed back."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from govhall.assessment.models import ScoreSheet, SheetStatus
from govhall.assessment.services.fill import score_sheets_fill
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.testing.assessment import raise_alert

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 10, 1)
QUERY = {"month": "2025-10"}


@pytest.fixture
def sheets(county: Center, window: Window, clerk: User, window_head: User) -> dict[str, ScoreSheet]:
    raise_alert(
        "post_empty.red",
        center=county,
        responsible=window_head,
        day=datetime.date(2025, 10, 14),
        window=window,
    )
    score_sheets_fill(month=MONTH)
    return {
        "clerk": ScoreSheet.objects.get(person=clerk, month=MONTH),
        "head": ScoreSheet.objects.get(person=window_head, month=MONTH),
    }


def test_month_page_lists_grades_tiers_and_windows(
    client_as, director: User, sheets: dict[str, ScoreSheet], settings
) -> None:
    settings.GOVHALL_ASSESSMENT_SERVICE_STARS = 1
    response = client_as(director).get(reverse("workbench:assessment"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "98.0" in html and "100.0" in html
    assert "市场监管窗口" in html
    rows = {row.sheet.pk: row for row in response.context["view"].rows}
    assert rows[sheets["clerk"].pk].tier == "top"
    assert rows[sheets["head"].pk].tier == "bottom"  # 2 points apart: two tiers
    assert rows[sheets["head"].pk].window_score == Decimal("99.0")
    assert [s.pk for s in response.context["view"].service_stars] == [sheets["clerk"].pk]


def test_outsider_and_plain_staff_do_not_see_the_month(
    client_as, outsider: User, clerk: User, sheets: dict[str, ScoreSheet], county: Center
) -> None:
    assert client_as(clerk).get(reverse("workbench:assessment"), QUERY).status_code == 404
    client = client_as(outsider)
    assert client.get(reverse("workbench:assessment"), {"center": county.pk}).status_code == 404
    for sheet in sheets.values():
        url = reverse("workbench:assessment_sheet", args=[sheet.pk])
        assert client.get(url).status_code == 404


def test_a_person_reads_their_own_sheet_only(
    client_as, clerk: User, sheets: dict[str, ScoreSheet]
) -> None:
    client = client_as(clerk)
    own = client.get(reverse("workbench:assessment_sheet", args=[sheets["clerk"].pk]))
    assert own.status_code == 200 and own.context["form"] is None
    other = reverse("workbench:assessment_sheet", args=[sheets["head"].pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("workbench:assessment_mine")).status_code == 200


def test_sheet_page_links_the_entry_to_its_alert_and_the_window(
    client_as, director: User, sheets: dict[str, ScoreSheet]
) -> None:
    page = client_as(director).get(reverse("workbench:assessment_sheet", args=[sheets["head"].pk]))
    html = page.content.decode()
    entry = sheets["head"].entries.get()
    assert f"#{entry.alert_id}" in html
    assert 'id="window-score">99.0<' in html
    assert reverse("workbench:assessment_sheet", args=[sheets["clerk"].pk]) in html


def test_director_deducts_reviews_and_publishes_through_the_pages(
    client_as, director: User, sheets: dict[str, ScoreSheet]
) -> None:
    client = client_as(director)
    sheet = sheets["clerk"]
    url = reverse("workbench:assessment_sheet_entry", args=[sheet.pk])
    bad = client.post(
        url,
        {
            "action": "deduct",
            "points": "2",
            "reason": "",
            "evidence": "x",
            "version": sheet.version,
        },
    )
    assert bad.status_code == 422
    ok = client.post(
        url,
        {
            "action": "deduct",
            "points": "2",
            "reason": "衣着不整",
            "evidence": "巡查照片",
            "occurred_on": "2025-10-10",
            "version": sheet.version,
        },
    )
    assert ok.status_code == 302
    sheet.refresh_from_db()
    assert sheet.score == Decimal("98.0")
    action = reverse("workbench:assessment_sheet_action", args=[sheet.pk])
    client.post(action, {"action": "review", "version": sheet.version})
    sheet.refresh_from_db()
    client.post(action, {"action": "publish", "version": sheet.version})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED


def test_nobody_posts_on_their_own_sheet(
    client_as, window_head: User, director: User, sheets: dict[str, ScoreSheet]
) -> None:
    own = ScoreSheet.objects.create(person=director, center=director.staff.center, month=MONTH)
    client = client_as(director)
    response = client.post(
        reverse("workbench:assessment_sheet_entry", args=[own.pk]),
        {"action": "bonus", "points": "5", "reason": "x", "evidence": "y", "version": 1},
    )
    assert response.status_code == 404
    head = client_as(window_head)
    response = head.post(
        reverse("workbench:assessment_sheet_entry", args=[sheets["clerk"].pk]),
        {"action": "deduct", "points": "5", "reason": "x", "evidence": "y", "version": 1},
    )
    assert response.status_code == 404
    assert not own.entries.exists() and not sheets["clerk"].entries.exists()


def test_xlsx_parses_back(client_as, director: User, sheets: dict[str, ScoreSheet]) -> None:
    response = client_as(director).get(reverse("workbench:assessment_xlsx"), QUERY)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name[sheets["head"].person.display_name][3] == 98.0
    assert by_name[sheets["clerk"].person.display_name][3] == 100.0
    windows = list(book.worksheets[1].iter_rows(values_only=True))
    assert str(windows[1][0]).endswith("市场监管窗口") and windows[1][1] == 99


def test_pdf_has_the_names(client_as, director: User, sheets: dict[str, ScoreSheet]) -> None:
    response = client_as(director).get(reverse("workbench:assessment_pdf"), QUERY)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "市场监管窗口" in text


def test_weights_page_saves_weights_adding_up_to_100(
    client_as, director: User, county: Center, clerk: User
) -> None:
    client = client_as(director)
    url = reverse("workbench:assessment_weights")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"self": 50, "leader": 50, "patrol": 50, "citizen": 0, "social": 0})
    assert bad.status_code == 422
    ok = client.post(url, {"self": 10, "leader": 20, "patrol": 30, "citizen": 30, "social": 10})
    assert ok.status_code == 302
    assert client_as(clerk).get(url).status_code == 404


def test_quarter_feedback_is_printable(
    client_as, director: User, sheets: dict[str, ScoreSheet]
) -> None:
    response = client_as(director).get(
        reverse("workbench:assessment_feedback"), {"year": 2025, "quarter": 4}
    )
    assert response.status_code == 200
    assert "县市场监督管理局" in response.content.decode()
