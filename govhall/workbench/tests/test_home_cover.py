"""B's workbench shows A's post while A's approved leave runs (issue 5: cover is automatic)."""

import datetime

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Leave
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db


def test_b_sees_the_post_of_a_on_leave_and_a_does_not(client_as, county, department, window_head):
    a_staff = make_staff(Role.CLERK, county, department, username="a-staff", window_staff=True)
    b_staff = make_staff(Role.CLERK, county, department, username="b-staff", window_staff=True)
    window = WindowFactory(center=county, number=7, head=window_head)
    PostFactory(window=window, name="受理岗", a_staff=a_staff, b_staff=b_staff)
    signed_in(a_staff, b_staff, window_head)  # today: the home page shows now

    before = client_as(b_staff).get("/staff/").content.decode()
    assert 'id="serving-now"' not in before

    now = timezone.now()
    Leave.objects.create(
        user=a_staff,
        center=county,
        kind="sick",
        reason="病假",
        status="approved",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    during = client_as(b_staff).get("/staff/").content.decode()
    assert 'id="serving-now"' in during and "受理岗" in during
    assert "B岗替岗：A岗请假或离岗" in during
    assert 'id="serving-now"' not in client_as(a_staff).get("/staff/").content.decode()


def test_empty_post_banner_reaches_the_director_but_not_a_clerk(
    client_as, county, department, director, clerk
):
    from govhall.staffing.models import PostVacancy

    post = PostFactory(window=WindowFactory(center=county, number=9), name="收件岗")
    PostVacancy.objects.create(post=post, center=county, started_at=timezone.now())
    page = client_as(director).get("/staff/").content.decode()
    assert 'id="vacancy-banner"' in page and "/staff/" in page
    assert 'id="vacancy-banner"' not in client_as(clerk).get("/staff/").content.decode()
