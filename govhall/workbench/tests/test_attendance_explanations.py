"""Issue 16 item 1 on the workbench: a lapse of either session is explained from "my
attendance", and the hall director accepts or rejects it on the explanations page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.staffing.models import Attendance, AttendanceExplanation
from govhall.staffing.models.attendance import ExplanationStatus

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = reverse("workbench:attendance")
LIST = reverse("workbench:attendance_explanations")


@pytest.fixture
def late_afternoon(county, clerk):
    today = timezone.localdate()
    return Attendance.objects.create(
        user=clerk,
        center=county,
        date=today,
        signed_in_at=timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 10))),
        afternoon_signed_in_at=timezone.make_aware(
            datetime.datetime.combine(today, datetime.time(14, 26))
        ),
        afternoon_late_minutes=6,
    )


def test_explain_then_the_director_accepts(client_as, clerk, director, late_afternoon):
    client = client_as(clerk)
    html = client.get(DAY, **EN).content.decode()
    assert "Late in the afternoon" in html and 'name="lapse" value="afternoon_late"' in html
    assert client.get(LIST, **EN).status_code == 404
    explain = reverse("workbench:attendance_explain", args=[late_afternoon.pk])
    client.post(explain, {"lapse": "afternoon_late", "reason": "开会"}, **EN, follow=True)
    explanation = AttendanceExplanation.objects.get()
    decide = reverse("workbench:attendance_explanation_decide", args=[explanation.pk, "accept"])
    assert client.post(decide, {"note": ""}, **EN).status_code == 404
    client = client_as(director)
    page = client.get(LIST, **EN).content.decode()
    assert "开会" in page and decide in page
    done = client.post(decide, {"note": "属实"}, **EN, follow=True).content.decode()
    assert "no longer counts" in done
    explanation.refresh_from_db()
    late_afternoon.refresh_from_db()
    assert explanation.status == ExplanationStatus.ACCEPTED
    assert late_afternoon.afternoon_late_excused is True
    assert "No explanations are waiting" in client.get(LIST, **EN).content.decode()


def test_someone_elses_day_cannot_be_explained(client_as, window_head, late_afternoon):
    explain = reverse("workbench:attendance_explain", args=[late_afternoon.pk])
    response = client_as(window_head).post(explain, {"lapse": "afternoon_late", "reason": "x"})
    assert response.status_code == 404
    assert not AttendanceExplanation.objects.exists()


def test_decision_answers_in_the_row_and_a_second_click_is_refused(
    client_as, clerk, director, late_afternoon
):
    """Issue 17 item 5: with htmx the row shows the decision and the message at once; deciding
    again is a 409 whose message the page shows."""
    explanation = AttendanceExplanation.objects.create(
        attendance=late_afternoon, lapse="afternoon_late", reason="开会"
    )
    client = client_as(director)
    page = client.get(LIST, **EN).content.decode()
    assert f'hx-target="#explanation-{explanation.pk}"' in page
    decide = reverse("workbench:attendance_explanation_decide", args=[explanation.pk, "accept"])
    done = client.post(decide, {"note": "属实"}, HTTP_HX_REQUEST="true", **EN)
    html = done.content.decode()
    assert done.status_code == 200 and 'data-status="accepted"' in html
    assert "no longer counts" in html and 'hx-swap-oob="true"' in html
    again = client.post(decide, {"note": ""}, HTTP_HX_REQUEST="true", **EN)
    assert again.status_code == 409 and "msg-error" in again.content.decode()
