"""The public progress page: the QR code's link fills the number in, the right digits show the
steps and deadlines with a masked name, the full ID and phone numbers never appear, wrong digits
and rate limits answer clearly; the page works on a phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import ProgressLookup
from govhall.cases.statuses import CaseStatus
from govhall.core.events import record_event
from govhall.testing.cases import PERSON_ID, PHONE, bare_case

URL = "/progress/"


def _steps(case, actor) -> None:
    for action in ["case.receive", "case.request_supplement", "case.receive_supplement"]:
        record_event(actor=actor, action=action, obj=case, center_id=case.center_id, note="内部")
    record_event(actor=actor, action="case.accept", obj=case, center_id=case.center_id)


@pytest.fixture
def case(county, department, clerk):
    case = bare_case(
        county=county,
        department=department,
        number="33010020250301000042",
        accepted_at=timezone.now(),
        promised_due_on=timezone.localdate() + datetime.timedelta(days=10),
        clock_started_on=timezone.localdate(),
    )
    _steps(case, clerk)
    return case


def steps_of(html: str) -> list[str]:
    listing = re.search(r'<ol class="steps" id="progress-steps">(.*?)</ol>', html, re.S)
    assert listing, html
    return re.findall(r'<li class="step[^"]*">', listing.group(1))


@pytest.mark.django_db
def test_url_name_and_empty_form(client):
    assert reverse("portal:progress") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="progress-form"' in html and 'id="progress-result"' not in html
    assert 'inputmode="numeric"' in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_qr_link_fills_the_number_and_looks_nothing_up(client, case):
    response = client.get(URL, {"number": case.number})
    html = response.content.decode()
    assert f'value="{case.number}"' in html and 'id="progress-result"' not in html
    assert 'id="progress-error"' not in html
    assert ProgressLookup.objects.count() == 0


@pytest.mark.django_db
def test_right_digits_show_steps_without_personal_data(client, case, clerk):
    response = client.get(URL, {"number": case.number, "last4": PHONE[-4:]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="progress-result"' in html and 'data-national-code="05"' in html
    assert 'data-status="accepted"' in html
    assert len(steps_of(html)) == 4
    assert "张*丰" in html
    assert case.promised_due_on.strftime("%Y-%m-%d") in html
    assert re.search(r'id="progress-days-left" data-days="\d+"', html)
    for secret in (PHONE, PERSON_ID, "张三丰", clerk.username, "内部"):
        assert secret not in html
    by_id = client.get(URL, {"number": case.number, "last4": PERSON_ID[-4:]})
    assert 'id="progress-result"' in by_id.content.decode()


@pytest.mark.django_db
def test_wrong_digits_and_unknown_number_answer_alike(client, case):
    wrong = client.get(URL, {"number": case.number, "last4": "0000"})
    unknown = client.get(URL, {"number": "33010020990101000001", "last4": PHONE[-4:]})
    assert wrong.status_code == unknown.status_code == 200
    error = re.compile(
        r'<div class="banner banner-warn" role="alert" id="progress-error">(.*?)</div>'
    )
    wrong_html, unknown_html = wrong.content.decode(), unknown.content.decode()
    assert 'id="progress-result"' not in wrong_html
    wrong_error, unknown_error = error.search(wrong_html), error.search(unknown_html)
    assert wrong_error and unknown_error and wrong_error.group(1) == unknown_error.group(1)


@pytest.mark.django_db
def test_rate_limited_page_is_429(client, case, settings):
    settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT = 2
    for digits in ["0001", "0002"]:
        client.get(URL, {"number": case.number, "last4": digits})
    limited = client.get(URL, {"number": case.number, "last4": PHONE[-4:]})
    assert limited.status_code == 429
    html = limited.content.decode()
    assert 'id="progress-error"' in html and 'id="progress-result"' not in html


@pytest.mark.django_db
def test_finished_case_shows_the_outcome(client, county, department, approver):
    case = bare_case(
        county=county,
        department=department,
        number="DONE-1",
        status=CaseStatus.CERTIFICATE_READY,
        completed_at=timezone.now(),
    )
    record_event(actor=approver, action="case.approve", obj=case, center_id=case.center_id)
    html = client.get(URL, {"number": "DONE-1", "last4": PHONE[-4:]}).content.decode()
    assert 'data-outcome="approved"' in html and 'data-national-code="10"' in html
    assert 'id="progress-days-left"' not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_lookup(phone_page, county, department, clerk):
    case = bare_case(
        county=county,
        department=department,
        number="33010020250301000077",
        accepted_at=timezone.now(),
        promised_due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    _steps(case, clerk)
    page = phone_page
    page.goto(f"{page.base_url}{URL}?number={case.number}")
    assert page.input_value("#id_number") == case.number
    page.fill("#id_last4", PHONE[-4:])
    page.click("#progress-form button[type=submit]")
    page.wait_for_selector("#progress-result")
    assert page.locator("#progress-steps li.step").count() == 4
    assert page.text_content("#progress-applicant") == "张*丰"
    body = page.text_content("body") or ""
    assert PHONE not in body and PERSON_ID not in body
    # One column on a phone: nothing wider than the screen.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    box = page.locator("#id_last4").bounding_box()
    assert box is not None and box["height"] >= 36  # thumb-sized
