"""The portal's complaint form: one center straight to its form, CSRF, the number and follow
link, the follow page showing status and result but never internal notes, rate limiting."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govhall.core.roles import Role
from govhall.feedback.models import Complaint, ComplaintChannel, ComplaintStatus
from govhall.feedback.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_reply,
)
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(county, department):
    window = WindowFactory(center=county, number=3, name="市场监管窗口")
    window.departments.add(department)
    return window


def form_url(county):
    return reverse("portal:complaint_new", args=[county.code])


def test_one_center_goes_straight_to_its_form_which_lists_its_windows(client, county, window):
    response = client.get(reverse("portal:complaints"))
    assert response.status_code == 302 and response["Location"] == form_url(county)
    assert "3 市场监管窗口" in client.get(form_url(county)).content.decode()
    assert client.get(reverse("portal:complaint_new", args=["nope"])).status_code == 404


def test_csrf_is_required(county, window):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(form_url(county), {"target_kind": "center", "summary": "x"})
    assert response.status_code == 403 and not Complaint.objects.exists()


def test_file_then_follow_without_internal_notes(client, county, department, window, director):
    response = client.post(
        form_url(county),
        {
            "target_kind": "window",
            "window": window.pk,
            "summary": "窗口人员玩手机",
            "details": "上午十点，三号窗口。",
            "complainant_name": "王五",
            "complainant_phone": "13700001111",
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.channel == ComplaintChannel.WEB and complaint.target_window == window
    follow = reverse("portal:complaint_follow", args=[complaint.public_token])
    assert response.status_code == 302 and response["Location"] == follow + "?new=1"
    page = client.get(response["Location"]).content.decode()
    assert complaint.number in page and follow in page and "王五" not in page

    complaint_assign(actor=director, complaint=complaint, version=1, department_id=department.pk)
    complaint.refresh_from_db()
    clerk = make_staff(Role.CLERK, county, department, username="dept_clerk")
    complaint_reply(actor=clerk, complaint=complaint, version=2, reply="内部说明：已约谈当事人")
    complaint_answer(
        actor=director,
        complaint=complaint,
        version=3,
        finding="verified",
        result="已批评教育并整改",
    )
    page = client.get(follow).content.decode()
    assert "已批评教育并整改" in page and "内部说明" not in page
    assert director.display_name not in page
    assert client.get(reverse("portal:complaint_follow", args=["x" * 24])).status_code == 404


def test_refused_input_stays_on_the_form_and_the_door_is_rate_limited(
    client, county, window, settings
):
    settings.GOVHALL_RATE_COMPLAINT_PER_ADDRESS_HOUR = 2
    refused = client.post(form_url(county), {"target_kind": "window", "summary": "x"})
    assert refused.status_code == 400 and not Complaint.objects.exists()
    ok = client.post(form_url(county), {"target_kind": "center", "summary": "x", "anonymous": "on"})
    assert ok.status_code == 302
    assert Complaint.objects.get().status == ComplaintStatus.REGISTERED
    limited = client.post(form_url(county), {"target_kind": "center", "summary": "y"})
    assert limited.status_code == 429 and Complaint.objects.count() == 1
