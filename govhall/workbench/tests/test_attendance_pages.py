"""Workbench attendance pages: my day with sign-in and sign-out, the board, the monthly report,
its xlsx export and closing a day."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govhall.core.models import Event
from govhall.staffing.models import Attendance, HallNetwork
from govhall.workdays.queries.calendar import calendar_for, drop_cached_calendars
from govhall.workdays.services.center_days import center_day_set

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = reverse("workbench:attendance")
SIGN_IN = reverse("workbench:attendance_sign_in")
SIGN_OUT = reverse("workbench:attendance_sign_out")
MONTH = reverse("workbench:attendance_month")
EXPORT = reverse("workbench:attendance_export")


def close_url(center) -> str:
    return reverse("workbench:attendance_close_day", args=[center.pk])


@pytest.fixture
def workday_today(county):
    """Today is a working day of the county whatever the real date is."""
    today = timezone.localdate()
    if not calendar_for(county.pk).is_workday(today):
        center_day_set(
            actor=None, center_id=county.pk, date=today, kind="extra_workday", reason="测试"
        )
        drop_cached_calendars()  # the revision bump waits for a commit that tests never make
    return today


@pytest.fixture
def closed_today(county):
    today = timezone.localdate()
    if calendar_for(county.pk).is_workday(today):
        center_day_set(actor=None, center_id=county.pk, date=today, kind="closed", reason="停电")
        drop_cached_calendars()  # the revision bump waits for a commit that tests never make
    return today


def last_past_workday(center) -> datetime.date:
    calendar = calendar_for(center.pk)
    day = timezone.localdate() - datetime.timedelta(days=1)
    while not calendar.is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


# ---- my day ---------------------------------------------------------------------------------


def test_my_day_page_shows_buttons_and_hours(client_as, clerk, workday_today):
    response = client_as(clerk).get(DAY, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sign-in"' in html and 'id="sign-out"' in html
    assert "be at your post by 08:20" in html
    assert "Not yet" in html
    assert 'id="board"' not in html  # a clerk sees only their own day


def test_sign_in_then_out_from_the_page(client_as, clerk, workday_today):
    client = client_as(clerk)
    response = client.post(SIGN_IN, **EN, follow=True)
    assert response.status_code == 200
    row = Attendance.objects.get(user=clerk, date=workday_today)
    assert (row.signed_in_at or row.afternoon_signed_in_at) is not None  # either session
    html = response.content.decode()
    assert "Signed in at" in html
    assert ("On time" in html) == (row.late_minutes + row.afternoon_late_minutes == 0)
    assert 'id="sign-in" disabled' in html
    again = client.post(SIGN_IN, **EN, follow=True).content.decode()
    assert "You already signed in today" in again
    assert client.post(SIGN_OUT, **EN, follow=True).status_code == 200
    row.refresh_from_db()
    assert (row.signed_out_at or row.morning_signed_out_at) is not None  # either session
    assert Event.objects.filter(action="attendance.sign_out").count() == 1


def test_sign_in_on_a_closed_day_is_refused(client_as, clerk, closed_today):
    html = client_as(clerk).post(SIGN_IN, **EN, follow=True).content.decode()
    assert "is not a working day" in html
    assert not Attendance.objects.exists()


def test_sign_in_only_from_the_hall_network(client_as, clerk, county, workday_today):
    HallNetwork.objects.create(center=county, cidr="10.8.0.0/16")
    client = client_as(clerk)
    html = client.post(SIGN_IN, REMOTE_ADDR="192.0.2.7", **EN, follow=True).content.decode()
    assert "only possible from the hall&#x27;s network" in html
    assert not Attendance.objects.filter(signed_in_at__isnull=False).exists()
    client.post(SIGN_IN, REMOTE_ADDR="10.8.1.2", **EN)
    row = Attendance.objects.get(user=clerk)
    assert row.sign_in_address == "10.8.1.2"


def test_sign_in_needs_post_and_login(client, client_as, clerk):
    assert client.post(SIGN_IN).status_code == 302  # to the login page
    assert not Attendance.objects.exists()
    assert client_as(clerk).get(SIGN_IN).status_code == 405


def test_board_for_managers_and_window_heads(
    client_as, director, window_head, clerk, guide, workday_today
):
    client_as(clerk).post(SIGN_IN)
    html = client_as(director).get(DAY, **EN).content.decode()
    assert 'id="board"' in html
    assert clerk.display_name in html and guide.display_name in html
    assert "Missing" in html
    head_html = client_as(window_head).get(DAY, **EN).content.decode()
    assert 'id="board"' in head_html
    assert clerk.display_name in head_html
    assert guide.display_name not in head_html  # a window head sees their department


def test_outsider_sees_only_their_own_day(client_as, outsider, clerk, workday_today):
    client_as(clerk).post(SIGN_IN)
    html = client_as(outsider).get(DAY, **EN).content.decode()
    assert clerk.display_name not in html


# ---- monthly report -------------------------------------------------------------------------


@pytest.fixture
def november(county, clerk, guide):
    day = datetime.date(2026, 11, 3)
    Attendance.objects.create(
        user=clerk,
        center=county,
        date=day,
        signed_in_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 8, 27)),
        late_minutes=7,
    )
    Attendance.objects.create(user=guide, center=county, date=day, missed_sign_in=True)


def test_month_report_for_the_director(client_as, director, clerk, department, november):
    response = client_as(director).get(MONTH, {"month": "2026-11"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-user="clerk"' in html and 'data-user="guide"' in html
    assert department.name in html
    assert response.context["staff_rows"]
    clerk_values = {
        person.user.username: values for person, values in response.context["staff_rows"]
    }["clerk"]
    assert clerk_values[:5] == [1, 1, 1, 0, 7]  # days, late, morning late, afternoon late, min
    assert 'id="close-day"' in html
    assert f'name="day" value="{timezone.localdate().isoformat()}"' in html
    assert 'href="?center=' in html  # month navigation keeps the center


def test_department_leader_sees_their_department_only(client_as, dept_leader, november):
    html = client_as(dept_leader).get(MONTH, {"month": "2026-11"}, **EN).content.decode()
    assert 'data-user="clerk"' in html
    assert 'data-user="guide"' not in html
    assert 'id="close-day"' not in html


def test_month_report_is_denied_outside_scope(client_as, outsider, clerk, county, november):
    assert client_as(outsider).get(MONTH, {"center": county.pk}).status_code == 404
    assert client_as(outsider).get(EXPORT, {"center": county.pk}).status_code == 404
    own = client_as(outsider).get(MONTH, {"month": "2026-11"}).content.decode()
    assert 'data-user="clerk"' not in own
    # A clerk reads only their own month, on their day page.
    assert client_as(clerk).get(MONTH).status_code == 404


def test_bad_month_is_404(client_as, director):
    assert client_as(director).get(MONTH, {"month": "2026-13"}).status_code == 404


def test_export_xlsx(client_as, director, guide, county, november):
    response = client_as(director).get(EXPORT, {"center": county.pk, "month": "2026-11"}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"attendance-{county.code}-2026-11.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    staff_sheet, department_sheet = book.worksheets
    rows = list(staff_sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Staff member", "Department", "Days present")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[guide.display_name][2:] == (0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
    departments = list(department_sheet.iter_rows(values_only=True))
    assert departments[0][:2] == ("Department", "Staff")
    assert len(departments) == 2


# ---- closing a day --------------------------------------------------------------------------


def test_director_closes_a_day(client_as, director, clerk, county):
    day = last_past_workday(county)
    response = client_as(director).post(
        close_url(county), {"day": day.isoformat()}, **EN, follow=True
    )
    assert response.status_code == 200
    assert "missed sign-ins" in response.content.decode()
    assert Attendance.objects.get(user=clerk, date=day).missed_sign_in is True


def test_close_day_refuses_a_holiday_with_a_message(client_as, director, county):
    html = client_as(director).post(close_url(county), {"day": "2026-10-01"}, **EN, follow=True)
    assert "is not a working day" in html.content.decode()
    assert not Attendance.objects.exists()


def test_close_day_is_for_managers_of_the_center(client_as, clerk, window_head, outsider, county):
    day = last_past_workday(county).isoformat()
    for user in (clerk, window_head, outsider):
        assert client_as(user).post(close_url(county), {"day": day}).status_code == 404
    assert not Attendance.objects.exists()


def test_export_neutralises_formulas_in_names(client_as, director, guide, county, november):
    guide.full_name = '=HYPERLINK("http://evil.example","点我")'
    guide.save(update_fields=["full_name"])
    response = client_as(director).get(EXPORT, {"center": county.pk, "month": "2026-11"}, **EN)
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    names = [row[0] for row in rows[1:]]
    assert "'" + guide.full_name in names and guide.full_name not in names
