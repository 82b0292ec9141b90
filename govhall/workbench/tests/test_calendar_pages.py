"""Workbench calendar pages: the year view, the calculator, and the manager-only changes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import PASSWORD
from govhall.workdays.models import CenterDay, ScheduleYear
from govhall.workdays.services.center_days import center_day_set

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
EXAMPLE_2027 = (
    Path(__file__).resolve().parents[2]
    / "workdays"
    / "tests"
    / "data"
    / "schedule_2027_example.txt"
)
CALENDAR = reverse("workbench:calendar")
COMPUTE = reverse("workbench:calendar_compute")
IMPORT = reverse("workbench:calendar_import")


def day_class(html: str, iso: str) -> str:
    match = re.search(rf'<td class="(day-[a-z]+)" data-date="{iso}"', html)
    assert match, iso
    return match.group(1)


def close(center_id: int, day: datetime.date, reason: str = "停电检修") -> None:
    center_day_set(actor=None, center_id=center_id, date=day, kind="closed", reason=reason)


# ---- the year view ----------------------------------------------------------------------


def test_year_view_shows_holidays_makeup_days_and_weekends(client_as, clerk, county):
    response = client_as(clerk).get(CALENDAR, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<section class="month panel">') == 12
    assert county.name in html
    assert day_class(html, "2025-10-01") == "day-holiday"
    assert day_class(html, "2025-10-06") == "day-holiday"
    assert day_class(html, "2025-09-28") == "day-makeup"  # 9月28日(日)上班
    assert day_class(html, "2025-10-11") == "day-makeup"
    assert day_class(html, "2025-10-12") == "day-off"
    assert day_class(html, "2025-10-09") == "day-workday"
    assert 'id="coverage-warning"' not in html
    for kind in ("holiday", "makeup", "closed", "extra", "off"):
        assert f'<span class="badge day-{kind}">' in html  # the legend
    # Monday first: 2025-09-01 is a Monday and opens its week row.
    assert re.search(r'<tr><td class="day-[a-z]+" data-date="2025-09-01"', html)
    assert 'rel="next"' in html and "year=2026" in html


def test_uncovered_year_shows_a_warning_and_weekends_only(client_as, director, admin_user):
    html = client_as(director).get(CALENDAR, {"year": 2027}).content.decode()
    assert 'id="coverage-warning"' in html
    assert day_class(html, "2027-01-01") == "day-workday"
    assert IMPORT not in html  # the national schedule is the system administrator's
    html = client_as(admin_user).get(CALENDAR, {"year": 2027}).content.decode()
    assert f"{IMPORT}?year=2027" in html  # the administrator gets the way out


def test_closures_and_extra_days_are_shown_with_their_reason(client_as, guide, county):
    close(county.pk, datetime.date(2025, 10, 14), "防汛停电")
    center_day_set(
        actor=None,
        center_id=county.pk,
        date=datetime.date(2025, 10, 12),
        kind="extra_workday",
        reason="集中办理",
    )
    html = client_as(guide).get(CALENDAR, {"year": 2025}).content.decode()
    assert 'class="day-closed" data-date="2025-10-14" title="防汛停电"' in html
    assert 'class="day-extra" data-date="2025-10-12" title="集中办理"' in html


def test_manager_picks_a_center_in_scope(client_as, director, town, county):
    close(town.pk, datetime.date(2025, 10, 14))
    client = client_as(director)
    html = client.get(CALENDAR, {"year": 2025, "center": town.pk}).content.decode()
    assert town.name in html
    assert day_class(html, "2025-10-14") == "day-closed"
    own = client.get(CALENDAR, {"year": 2025}).content.decode()
    assert day_class(own, "2025-10-14") == "day-workday"
    assert f'<option value="{town.pk}"' in own


def test_outsider_and_strangers_are_denied(client, client_as, outsider, county):
    assert client.get(CALENDAR).status_code == 302  # login first
    outside = client_as(outsider)
    assert outside.get(CALENDAR, {"center": county.pk}).status_code == 404
    assert (
        outside.get(COMPUTE, {"center": county.pk, "start": "2025-09-30", "days": 5}).status_code
        == 404
    )
    assert outside.get(CALENDAR, {"center": "nope"}).status_code == 404
    assert outside.get(CALENDAR, {"year": "1800"}).status_code == 404
    response = outside.post(
        reverse("workbench:calendar_day_add", args=[county.pk]),
        {"date": "2025-10-14", "kind": "closed", "reason": "x"},
    )
    assert response.status_code == 404
    assert not CenterDay.objects.exists()


# ---- the calculator ---------------------------------------------------------------------


def test_deadline_calculator_via_htmx(client_as, clerk, county, django_capture_on_commit_callbacks):
    client = client_as(clerk)
    response = client.get(
        COMPUTE, {"center": county.pk, "start": "2025-09-30", "days": 5}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>2025-10-14</strong>" in html
    assert "17:30" in html  # closing time of the 5th working day
    assert "<html" not in html  # a fragment to swap in
    with django_capture_on_commit_callbacks(execute=True):
        close(county.pk, datetime.date(2025, 10, 14))
    html = client.get(COMPUTE, {"center": county.pk, "start": "2025-09-30", "days": 5}).content
    assert b"<strong>2025-10-15</strong>" in html


def test_range_calculator_and_uncovered_warning(client_as, clerk):
    client = client_as(clerk)
    html = client.get(COMPUTE, {"first": "2025-10-01", "last": "2025-10-31"}).content.decode()
    assert "<strong>18</strong>" in html
    html = client.get(COMPUTE, {"start": "2026-12-31", "days": 1}, **EN).content.decode()
    assert "<strong>2027-01-01</strong>" in html
    assert "2027" in html and "weekends only" in html


def test_calculator_bad_input_shows_a_message(client_as, clerk):
    client = client_as(clerk)
    html = client.get(COMPUTE, {"start": "2025-09-30", "days": -1}, **EN).content.decode()
    assert "cannot be negative" in html
    html = client.get(COMPUTE, {"start": "2025-02-30", "days": 1}, **EN).content.decode()
    assert "YYYY-MM-DD" in html
    html = client.get(COMPUTE, {"first": "2025-10-31", "last": "2025-10-01"}, **EN).content.decode()
    assert "before its start" in html
    html = client.get(COMPUTE, {"start": "2099-12-30", "days": 5}, **EN).content.decode()
    assert "2099" in html and "<strong>" not in html


@pytest.fixture
def role_groups() -> None:
    # An earlier transactional test flushes the role groups the migrations made; make sure.
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_calculator_swaps_the_result_in_place_in_a_browser(role_groups, page, clerk):
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")
    page.goto(f"{page.base_url}{CALENDAR}?year=2025")
    assert page.locator(".month").count() == 12
    page.fill("#id_start", "2025-09-30")
    page.fill("#id_days", "5")
    page.locator("#deadline-result").evaluate("node => node.dataset.before = 'kept'")
    page.locator("#calculator form").first.locator("button[type=submit]").click()
    page.wait_for_selector("#deadline-result strong")
    assert page.locator("#deadline-result strong").inner_text() == "2025-10-14"
    # htmx swapped the fragment: no navigation, the same element is still there.
    assert page.url.endswith(f"{CALENDAR}?year=2025")
    assert page.locator("#deadline-result").get_attribute("data-before") == "kept"


def test_calculator_works_without_javascript(client_as, clerk):
    html = client_as(clerk).get(CALENDAR, {"start": "2025-01-24", "days": 3}).content.decode()
    assert "<strong>2025-02-05</strong>" in html
    assert 'hx-get="' + COMPUTE + '"' in html


# ---- manager changes --------------------------------------------------------------------


def test_manager_adds_and_removes_a_closure(
    client_as, director, county, django_capture_on_commit_callbacks
):
    client = client_as(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workbench:calendar_day_add", args=[county.pk]),
            {"date": "2025-10-14", "kind": "closed", "reason": "停电检修", "year": 2025},
        )
    assert response.status_code == 302
    day = CenterDay.objects.get(center_id=county.pk)
    assert (day.date, day.kind, day.created_by) == (datetime.date(2025, 10, 14), "closed", director)
    assert Event.objects.filter(action="center_day.set", center_id=county.pk).exists()
    html = client.get(response["Location"]).content.decode()
    assert day_class(html, "2025-10-14") == "day-closed"
    assert "停电检修" in html

    remove = reverse("workbench:calendar_day_remove", args=[county.pk, "2025-10-14"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not CenterDay.objects.exists()
    html = client.get(CALENDAR, {"year": 2025}).content.decode()
    assert day_class(html, "2025-10-14") == "day-workday"


def test_bad_override_shows_the_reason_and_saves_nothing(client_as, director, county):
    client = client_as(director)
    url = reverse("workbench:calendar_day_add", args=[county.pk])
    response = client.post(url, {"date": "2025-10-01", "kind": "closed", "reason": "x"}, **EN)
    assert response.status_code == 400
    assert "not a working day anyway" in response.content.decode()
    response = client.post(url, {"date": "2025-10-14", "kind": "closed", "reason": ""}, **EN)
    assert response.status_code == 400
    assert not CenterDay.objects.exists()
    assert not Event.objects.filter(action__startswith="center_day.").exists()


def test_manager_imports_a_year_by_form_and_it_takes_effect(
    client_as, admin_user, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    assert client.get(IMPORT).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT,
            {
                "mode": "text",
                "text-year": 2027,
                "text-source": "示例",
                "text-text": EXAMPLE_2027.read_text("utf-8"),
            },
        )
    assert response.status_code == 302
    assert ScheduleYear.objects.get(year=2027).imported_by == admin_user
    html = client.get(CALENDAR, {"year": 2027}).content.decode()
    assert 'id="coverage-warning"' not in html
    assert day_class(html, "2027-01-01") == "day-holiday"
    assert day_class(html, "2027-02-20") == "day-makeup"
    assert "示例" in html  # listed among imported schedules


def test_manager_imports_a_file_and_removes_the_year(
    client_as, admin_user, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    upload = SimpleUploadedFile("2027.csv", EXAMPLE_2027.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"mode": "file", "file-year": 2027, "file-file": upload})
    assert response.status_code == 302
    assert ScheduleYear.objects.filter(year=2027).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workbench:calendar_schedule_remove", args=[2027]))
    assert response.status_code == 302
    assert not ScheduleYear.objects.exists()
    html = client.get(CALENDAR, {"year": 2027}).content.decode()
    assert 'id="coverage-warning"' in html


def test_bad_import_lists_every_bad_line_and_imports_nothing(client_as, admin_user):
    response = client_as(admin_user).post(
        IMPORT,
        {
            "mode": "text",
            "text-year": 2027,
            "text-text": "2027-01-01,休,元旦\n2027-02-30,休,x\n2027-03-01,maybe,x\n",
        },
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-problems"' in html
    assert "Line 2" in html and "Line 3" in html
    assert not ScheduleYear.objects.exists()


def test_non_managers_see_no_manage_controls_and_get_404(client_as, clerk, window_head, county):
    for user in (clerk, window_head):
        client = client_as(user)
        html = client.get(CALENDAR, {"year": 2025}).content.decode()
        assert 'id="day-form"' not in html
        assert IMPORT not in html
        assert client.get(IMPORT).status_code == 404
        assert client.post(IMPORT, {"mode": "text", "text-year": 2027}).status_code == 404
        add = reverse("workbench:calendar_day_add", args=[county.pk])
        assert (
            client.post(add, {"date": "2025-10-14", "kind": "closed", "reason": "x"}).status_code
            == 404
        )
        remove = reverse("workbench:calendar_day_remove", args=[county.pk, "2025-10-14"])
        assert client.post(remove).status_code == 404
        assert (
            client.post(reverse("workbench:calendar_schedule_remove", args=[2027])).status_code
            == 404
        )
    assert not CenterDay.objects.exists()
    assert not ScheduleYear.objects.exists()


def test_outsider_cannot_remove_another_centers_closure(client_as, outsider, county):
    close(county.pk, datetime.date(2025, 10, 14))
    remove = reverse("workbench:calendar_day_remove", args=[county.pk, "2025-10-14"])
    assert client_as(outsider).post(remove).status_code == 404
    assert CenterDay.objects.filter(center_id=county.pk).exists()
