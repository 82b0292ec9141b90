import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.staffing.models.assignment import Assignment, StaffFact, StaffFactKind
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.models.roster import DutyAssignment, LeaderVisit
from govhall.staffing.services.assignments import trial_end
from govhall.testing.factories import PASSWORD, WindowFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)
ROSTERS = reverse("workbench:rosters")
VISITS = reverse("workbench:leader_visits")
ASSIGNMENTS = reverse("workbench:assignments")
WARNINGS = reverse("workbench:return_warnings")


@pytest.fixture
def window(county, department):
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    return window


def test_roster_month_grid_and_manager_adds_and_removes(client_as, director, county, clerk):
    client = client_as(director)
    url = f"{ROSTERS}?center={county.pk}&month=2026-11"
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<tr class=") == 30  # every day of November
    response = client.post(
        url, {"action": "add", "date": "2026-11-23", "kind": "lunch", "user": clerk.pk}
    )
    assert response.status_code == 302
    duty = DutyAssignment.objects.get()
    assert clerk.display_name in client.get(url).content.decode()
    refused = client.post(
        url, {"action": "add", "date": "2026-11-21", "kind": "lunch", "user": clerk.pk}
    )
    assert refused.status_code == 200 and "的工作日" in refused.content.decode()
    client.post(url, {"action": "remove", "duty": duty.pk})
    assert not DutyAssignment.objects.exists()


def test_roster_read_only_for_staff_and_404_for_outsider(client_as, clerk, outsider, county):
    url = f"{ROSTERS}?center={county.pk}&month=2026-11"
    client = client_as(clerk)
    page = client.get(url)
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    denied = client.post(
        url, {"action": "add", "date": "2026-11-23", "kind": "lunch", "user": clerk.pk}
    )
    assert denied.status_code == 404
    assert not DutyAssignment.objects.exists()
    assert client_as(outsider).get(url).status_code == 404
    assert client.get(f"{ROSTERS}?month=2026-13").status_code == 404


def test_leader_visits_record_and_check(
    client_as, dept_leader, department, other_department, county
):
    client = client_as(dept_leader)
    url = f"{VISITS}?center={county.pk}&month=2026-11"
    response = client.post(
        url, {"department": department.pk, "visited_at": "2026-11-02T10:00", "note": "检查"}
    )
    assert response.status_code == 302
    visit = LeaderVisit.objects.get()
    assert visit.leader == dept_leader
    # The leader may not record for another department.
    response = client.post(
        url, {"department": other_department.pk, "visited_at": "2026-11-02T10:00"}
    )
    assert response.status_code == 200 and LeaderVisit.objects.count() == 1
    page = client.get(url).content.decode()
    assert "检查" in page and "未达标" in page


def test_leader_visit_check_met_for_director(client_as, director, dept_leader, department, county):
    for day in (3, 10, 17):
        LeaderVisit.objects.create(
            department=department,
            leader=dept_leader,
            visited_at=timezone.make_aware(datetime.datetime(2026, 11, day, 10)),
        )
    page = client_as(director).get(f"{VISITS}?center={county.pk}&month=2026-11").content.decode()
    assert "badge-ok" in page


def test_leader_visits_denied(client_as, clerk, outsider, department, county):
    url = f"{VISITS}?center={county.pk}&month=2026-11"
    assert client_as(outsider).get(url).status_code == 404
    client = client_as(clerk)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"department": department.pk, "visited_at": "2026-11-02T10:00"}
        ).status_code
        == 404
    )


def test_assignment_history_and_change_with_override(
    client_as, director, clerk, department, window, county
):
    Assignment.objects.create(
        user=clerk,
        center=county,
        department=department,
        window=window,
        starts_on=datetime.date(2026, 6, 1),
        trial_ends_on=trial_end(datetime.date(2026, 6, 1)),
    )
    client = client_as(director)
    url = f"{ASSIGNMENTS}?center={county.pk}&staff={clerk.staff.pk}"
    page = client.get(url).content.decode()
    assert "2026-07-01" in page  # trial end
    assert "2028-01-01" in page  # earliest change: a year served, then the next January
    data = {"department": department.pk, "window": window.pk, "starts_on": "2026-12-01"}
    refused = client.post(url, data).content.decode()
    assert "至少一年" in refused and "1月" in refused
    assert Assignment.objects.count() == 1
    done = client.post(url, {**data, "override_reason": "急需"})
    assert done.status_code == 302
    assert (
        Assignment.objects.filter(user=clerk, ends_on__isnull=True).get().override_reason == "急需"
    )


def test_assignments_denied(client_as, clerk, window_head, outsider, department, county):
    url = f"{ASSIGNMENTS}?center={county.pk}&staff={clerk.staff.pk}"
    assert client_as(clerk).get(url).status_code == 404  # clerks do not read the staff list
    assert client_as(outsider).get(url).status_code == 404
    head = client_as(window_head)
    assert head.get(url).status_code == 200
    assert (
        head.post(url, {"department": department.pk, "starts_on": "2027-01-04"}).status_code == 404
    )
    assert not Assignment.objects.exists()


def test_return_warnings_page(
    client_as, supervisor, director, clerk, window_head, outsider, county
):
    today = timezone.localdate()
    for days in (1, 2):
        StaffFact.objects.create(
            user=clerk,
            kind=StaffFactKind.VERIFIED_COMPLAINT,
            occurred_on=today - datetime.timedelta(days=days),
            source="投诉12345",
        )
    url = f"{WARNINGS}?center={county.pk}"
    for user in (supervisor, director):
        page = client_as(user).get(url).content.decode()
        assert clerk.display_name in page and "投诉12345" in page
    assert client_as(window_head).get(url).status_code == 404
    assert client_as(outsider).get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_puts_a_clerk_on_lunch_duty_in_the_browser(page, director, clerk, county):
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", director.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")
    page.goto(f"{page.base_url}{ROSTERS}?center={county.pk}&month=2026-11")
    page.fill("#id_date", "2026-11-23")
    page.select_option("#id_kind", "lunch")
    page.select_option("#id_user", str(clerk.pk))
    page.locator("form.stacked button[type=submit]").click()
    # After the redirect the roster table shows the clerk (waits for the new page).
    page.locator("#roster").get_by_text(clerk.display_name).wait_for()
    assert page.locator(".messages, [role=status], .banner").count() >= 1
    assert DutyAssignment.objects.filter(user=clerk, date=MONDAY).exists()


def test_roster_refuses_a_person_on_leave_with_the_leave_named(client_as, director, county, clerk):
    """Issue 17 item 5: the page says why, in Chinese, and nothing is added."""
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.ANNUAL,
        starts_at=timezone.make_aware(datetime.datetime(2026, 11, 23, 8, 30)),
        ends_at=timezone.make_aware(datetime.datetime(2026, 11, 23, 17, 30)),
        reason="年休",
        status=LeaveStatus.APPROVED,
    )
    url = f"{ROSTERS}?center={county.pk}&month=2026-11"
    refused = client_as(director).post(
        url, {"action": "add", "date": "2026-11-23", "kind": "lunch", "user": clerk.pk}
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and "已批准的请假" in html and "2026-11-23 08:30" in html
    assert not DutyAssignment.objects.exists()
