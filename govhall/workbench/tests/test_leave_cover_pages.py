"""Leave pages, issue 16 item 2: the approver sees who will serve each post the leave touches
and names the cover where nobody would; the requester sees the cover chosen."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveStatus
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.leave import ask
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LEAVES = reverse("workbench:leaves")


@pytest.fixture
def post(county, department, clerk):
    window = WindowFactory(center=county, head=None, name="不动产窗口")
    window.departments.add(department)
    return PostFactory(window=window, name="登记岗", a_staff=clerk)


@pytest.fixture
def colleague(county, department):
    return make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)


def workday(center_id: int) -> datetime.date:
    return calendar_for(center_id).next_workday(timezone.localdate() + datetime.timedelta(7))


def test_director_names_the_cover_on_the_page(client_as, clerk, director, colleague, post):
    leave = ask(clerk, workday(post.window.center_id))
    client = client_as(director)
    html = client.get(LEAVES, **EN).content.decode()
    assert f'data-cover-plan="{leave.pk}"' in html and "登记岗" in html
    assert "name a cover" in html and f'name="cover_{post.pk}"' in html
    url = reverse("workbench:leave_approve", args=[leave.pk])
    refused = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true", **EN)
    assert "Name a cover first" in refused.content.decode()
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING
    approved = client.post(
        url, {"note": "", f"cover_{post.pk}": str(colleague.pk)}, HTTP_HX_REQUEST="true", **EN
    )
    assert 'data-status="approved"' in approved.content.decode()
    assert f'data-covers="{leave.pk}"' in approved.content.decode()
    assert Delegation.objects.get(leave=leave).cover_user == colleague
    mine = client_as(clerk).get(LEAVES, **EN).content.decode()
    assert colleague.display_name in mine.split('id="my-leaves"')[1]
