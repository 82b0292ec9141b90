"""Workbench pages of who serves now: duty board, where-and-until sign, approvals, cover records
and empty posts; outsiders get 404 and non-heads cannot approve."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Absence, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.models.presence import DelegationReason
from govhall.staffing.services.presence import absence_start
from govhall.testing.factories import PASSWORD, PostFactory, WindowFactory, make_staff
from govhall.testing.patrols import workday_today
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ON_DUTY = reverse("workbench:on_duty")
AWAY = reverse("workbench:my_absence")
VACANCIES = reverse("workbench:vacancies")
DELEGATIONS = reverse("workbench:delegations")


@pytest.fixture
def hall(county, department, clerk, window_head):
    b = make_staff(Role.CLERK, county, department, username="bee", window_staff=True)
    window = WindowFactory(center=county, head=window_head, name="市场准入")
    window.departments.add(department)
    post = PostFactory(window=window, a_staff=clerk, b_staff=b, name="登记岗")
    headless = WindowFactory(center=county, name="无人窗口")
    headless.departments.add(department)
    empty = PostFactory(window=headless, name="无人岗")
    signed_in(clerk, b, window_head)  # today: the pages show now
    return post, empty, b


def test_board_shows_who_serves_and_empty_posts(client_as, hall, clerk, director, county):
    _post, empty, b = hall
    now = timezone.now()
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.ANNUAL,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=2),
        reason="年休",
        status=LeaveStatus.APPROVED,
    )
    PostVacancy.objects.create(post=empty, center=county, started_at=now)
    html = client_as(director).get(ON_DUTY, **EN).content.decode()
    assert "B covering" in html and b.display_name in html
    assert "EMPTY" in html
    assert f'data-vacancy="{empty.pk}"' in html and "Empty post" in html
    # A clerk sees the board but not the management alerts.
    clerk_view = client_as(b).get(ON_DUTY, **EN).content.decode()
    assert "B covering" in clerk_view and f'data-vacancy="{empty.pk}"' not in clerk_view


def test_board_shows_away_signs(client_as, hall, clerk, director):
    absence_start(
        actor=clerk, whereabouts="档案室", until=timezone.now() + datetime.timedelta(minutes=40)
    )
    html = client_as(director).get(ON_DUTY, **EN).content.decode()
    assert "档案室" in html and "not approved" in html


def test_outsider_gets_404(client_as, hall, outsider, county):
    client = client_as(outsider)
    assert client.get(ON_DUTY, {"center": county.pk}).status_code == 404
    assert client.get(VACANCIES).status_code == 200  # their own (empty) scope
    assert "无人岗" not in client.get(VACANCIES).content.decode()


def test_sign_up_and_back(client_as, hall, clerk):
    client = client_as(clerk)
    response = client.post(AWAY, {"action": "start", "whereabouts": "三楼会议室", "minutes": 30})
    assert response.status_code == 302
    absence = Absence.objects.get(user=clerk)
    assert absence.status == "away" and absence.whereabouts == "三楼会议室"
    html = client.get(AWAY, **EN).content.decode()
    assert 'value="return"' in html and "Over 20 minutes" in html
    bad = client.post(AWAY, {"action": "start", "whereabouts": "x", "minutes": 5}, **EN)
    assert "already away" in bad.content.decode()
    assert client.post(AWAY, {"action": "return"}).status_code == 302
    absence.refresh_from_db()
    assert absence.status == "returned"


def test_sign_form_rejects_bad_input(client_as, hall, clerk):
    response = client_as(clerk).post(AWAY, {"action": "start", "whereabouts": "", "minutes": 0})
    assert response.status_code == 200
    assert not Absence.objects.exists()


def test_head_approves_with_cover_and_clerk_cannot(
    client_as, hall, clerk, window_head, county, department
):
    post, _empty, b = hall
    absence = absence_start(
        actor=clerk, whereabouts="外出", until=timezone.now() + datetime.timedelta(minutes=45)
    )
    html = client_as(window_head).get(AWAY, **EN).content.decode()
    assert f'data-absence="{absence.pk}"' in html and "Absences to approve" in html
    approve = reverse("workbench:absence_approve", kwargs={"absence_id": absence.pk})
    other = make_staff(Role.CLERK, county, department, username="other", window_staff=True)
    assert client_as(other).post(approve, {f"a{absence.pk}-cover": b.pk}).status_code == 404
    assert client_as(clerk).post(approve, {f"a{absence.pk}-cover": b.pk}).status_code == 404
    response = client_as(window_head).post(approve, {f"a{absence.pk}-cover": b.pk})
    assert response.status_code == 302
    absence.refresh_from_db()
    assert (absence.approved_by, absence.cover) == (window_head, b)
    delegation = Delegation.objects.get(absence=absence)
    assert (delegation.post, delegation.cover_user) == (post, b)


def test_absence_approval_answers_in_the_row(client_as, hall, clerk, window_head):
    """Issue 17 item 5: with htmx the row shows the approval and the message at once; a second
    approval is refused with a message (409), not silently."""
    _post, _empty, b = hall
    absence = absence_start(
        actor=clerk, whereabouts="外出", until=timezone.now() + datetime.timedelta(minutes=45)
    )
    client = client_as(window_head)
    html = client.get(AWAY, **EN).content.decode()
    assert f'hx-target="#absence-{absence.pk}"' in html and 'id="page-messages"' in html
    approve = reverse("workbench:absence_approve", kwargs={"absence_id": absence.pk})
    data = {f"a{absence.pk}-cover": b.pk}
    response = client.post(approve, data, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="absence-{absence.pk}"' in html and "data-approved" in html
    assert "Absence approved" in html and 'hx-swap-oob="true"' in html
    again = client.post(approve, data, HTTP_HX_REQUEST="true", **EN)
    assert again.status_code == 409
    assert "msg-error" in again.content.decode() and "data-approved" in again.content.decode()
    missing = client.post(approve, {}, HTTP_HX_REQUEST="true", **EN)
    assert missing.status_code in (409, 422) and "msg-error" in missing.content.decode()


def test_delegation_record_prints_and_is_scoped(client_as, hall, clerk, director, outsider):
    post, _empty, b = hall
    delegation = Delegation.objects.create(
        post=post,
        absent_user=clerk,
        cover_user=b,
        reason=DelegationReason.LEAVE,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(days=2),
    )
    url = reverse("workbench:delegation", kwargs={"delegation_id": delegation.pk})
    html = client_as(director).get(url, **EN).content.decode()
    for text in ("AB post responsibility delegation record", "登记岗", "市场准入", "signature"):
        assert text in html
    assert clerk.display_name in html and b.display_name in html
    listing = client_as(director).get(DELEGATIONS, **EN).content.decode()
    assert url in listing
    assert client_as(outsider).get(url).status_code == 404
    assert url not in client_as(outsider).get(DELEGATIONS).content.decode()


def test_vacancies_page_for_managers_and_supervisors_only(
    client_as, hall, director, supervisor, clerk, county
):
    _post, empty, _b = hall
    PostVacancy.objects.create(post=empty, center=county, started_at=timezone.now())
    for user in (director, supervisor):
        html = client_as(user).get(VACANCIES, **EN).content.decode()
        assert "无人岗" in html and "open-vacancy" in html
    assert client_as(clerk).get(VACANCIES).status_code == 404


def _browser_login(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_b_steps_away_and_the_board_shows_sign_and_empty_post(phone_page, hall, clerk, county):
    """A is on leave, B covers, then B steps away 30 minutes unapproved: the phone board shows
    the sign and nobody at the post."""
    post, _empty, b = hall
    post.window.head = None
    post.window.save(update_fields=["head"])
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.ANNUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(days=2),
        reason="年休",
        status=LeaveStatus.APPROVED,
    )
    page = phone_page
    _browser_login(page, b)
    page.goto(f"{page.base_url}{ON_DUTY}")
    assert b.display_name in page.locator(f"tr[data-post='{post.pk}']").inner_text()
    page.goto(f"{page.base_url}{AWAY}")
    page.fill("#id_whereabouts", "三楼档案室")
    page.fill("#id_minutes", "30")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_selector("[data-current]")
    page.goto(f"{page.base_url}{ON_DUTY}")
    row = page.locator(f"tr[data-post='{post.pk}']")
    assert row.locator(".badge-bad").count() == 1
    assert b.display_name not in row.locator("td").nth(3).inner_text()
    sign = page.locator("tr[data-absence]")
    assert "三楼档案室" in sign.inner_text() and sign.locator(".badge-bad").count() == 1


def test_board_queries_do_not_grow_with_posts(client_as, county, department, director):
    client = client_as(director)

    def add_window(n: int) -> None:
        window = WindowFactory(center=county)
        for i in range(3):
            a = make_staff(Role.CLERK, county, department, username=f"w{n}p{i}", window_staff=True)
            PostFactory(window=window, a_staff=a)

    add_window(0)
    client.get(ON_DUTY)  # warm caches (calendar, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(ON_DUTY)
    for n in range(1, 6):
        add_window(n)
    with CaptureQueriesContext(connection) as large:
        assert client.get(ON_DUTY).status_code == 200
    assert len(large) == len(small)


def _clock(monkeypatch, moment: datetime.datetime) -> None:
    """The pages read the clock: fix it at `moment` (issue 17 item 6)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_board_at_six_shows_who_is_expected_and_nobody_present(
    client_as, hall, clerk, director, county, monkeypatch, settings
):
    """Issue 17 item 6: at 06:00 of a working day nobody is 在岗, A is shown as expected; from the
    opening, A who signed in is present."""
    # The fixed clock may lie hours after the real sign-in (the suite also runs at night): keep
    # the session alive across the jump.
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600
    post, _empty, _b = hall
    day = workday_today(county)
    six = timezone.make_aware(datetime.datetime.combine(day, datetime.time(6, 0)))
    client = client_as(director)
    _clock(monkeypatch, six)
    html = client.get(ON_DUTY, **EN).content.decode()
    assert 'data-state="present"' not in html
    assert f'<tr data-post="{post.pk}" data-state="expected">' in html
    assert "Not open yet" in html
    ten = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    _clock(monkeypatch, ten)
    html = client.get(ON_DUTY, **EN).content.decode()
    assert f'<tr data-post="{post.pk}" data-state="present">' in html
    assert "Not open yet" not in html
