"""Workbench pages of the first inquiries: quick log (htmx and plain), list with filters,
follow-ups, transfers (take on / finish), phone record book, rates; outsiders get 404; list
pages stay within a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from govhall.core.models import Event
from govhall.frontdesk.access import inquiries as access
from govhall.frontdesk.models import Inquiry, InquiryStatus
from govhall.frontdesk.services.inquiries import inquiry_log
from govhall.workbench.navigation import NAV

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def log(actor: Any, center: Any, n: int = 1, **kwargs: Any) -> list[Inquiry]:
    data: dict[str, Any] = {
        "channel": "phone",
        "matter": "营业执照怎么办",
        "outcome": "answered",
        "answer": "带身份证",
        "contact_name": "张三",
        "contact_phone": "13800138000",
    }
    data.update(kwargs)
    return [inquiry_log(actor=actor, center=center, **data) for _ in range(n)]


@pytest.fixture
def transfers(guide, county, other_department):
    return log(
        guide,
        county,
        3,
        outcome="transferred",
        answer="",
        transferred_department=other_department,
        transferred_contact="李工",
    )


def test_quick_log_with_htmx_clears_the_form(client_as, clerk, county, hall_window):
    client = client_as(clerk)
    page = client.get(reverse("workbench:inquiry_log"))
    assert page.status_code == 200 and b'id="inquiry-form"' in page.content
    answer = client.post(
        reverse("workbench:inquiry_log"),
        {
            "channel": "phone",
            "matter": "食品经营许可要多久",
            "outcome": "answered",
            "answer": "20个工作日",
            "window": hall_window.pk,
        },
        **HTMX,
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="inquiry-saved"' in html and "食品经营许可要多久" in html  # in the last entries
    assert "20个工作日</textarea>" not in html  # the form is empty again
    assert re.search(r'name="channel" value="phone"[^>]*checked', html)  # the channel stays
    inquiry = Inquiry.objects.get()
    assert inquiry.first_responder == clerk and inquiry.window == hall_window


def test_quick_log_errors_show_on_the_form_and_change_nothing(client_as, guide, county):
    client = client_as(guide)
    answer = client.post(
        reverse("workbench:inquiry_log"),
        {"channel": "visit", "matter": "问路", "outcome": "transferred"},
        **HTMX,
        **EN,
    )
    assert answer.status_code == 200
    assert b"Choose the department the matter goes to." in answer.content
    assert b"Name the person of the department who takes it on." in answer.content
    plain = client.post(
        reverse("workbench:inquiry_log"),
        {"channel": "visit", "matter": "", "outcome": "answered"},
        **EN,
    )
    assert plain.status_code == 400
    assert Inquiry.objects.count() == 0


def test_plain_post_redirects(client_as, guide, county, hall_window):
    client = client_as(guide)
    answer = client.post(
        reverse("workbench:inquiry_log"),
        {
            "channel": "visit",
            "matter": "去哪办",
            "outcome": "guided",
            "guided_window": hall_window.pk,
        },
    )
    assert answer.status_code == 302
    assert Inquiry.objects.get().guided_window == hall_window


def test_reviewer_cannot_open_the_log_form(client_as, reviewer):
    assert client_as(reviewer).get(reverse("workbench:inquiry_log")).status_code == 404


def test_list_filters_and_pagination(
    client_as, guide, director, county, transfers, django_assert_max_num_queries
):
    log(guide, county, 5, channel="visit")
    client = client_as(director)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:inquiries"))
    assert page.status_code == 200 and page.content.count(b"data-inquiry=") == 8
    assert b"138****8000" in page.content and b"13800138000" not in page.content
    assert (
        client.get(reverse("workbench:inquiries"), {"channel": "visit"}).content.count(
            b"data-inquiry="
        )
        == 5
    )
    assert (
        client.get(reverse("workbench:inquiries"), {"status": "open"}).content.count(
            b"data-inquiry="
        )
        == 3
    )
    assert (
        client.get(reverse("workbench:inquiries"), {"outcome": "answered"}).content.count(
            b"data-inquiry="
        )
        == 5
    )
    today = timezone.localdate()
    assert (
        client.get(
            reverse("workbench:inquiries"),
            {"from": (today + datetime.timedelta(days=1)).isoformat()},
        ).content.count(b"data-inquiry=")
        == 0
    )
    assert (
        client.get(reverse("workbench:inquiries"), {"responder": director.pk}).content.count(
            b"data-inquiry="
        )
        == 0
    )
    log(guide, county, 55, channel="fax")
    with django_assert_max_num_queries(12):
        second = client.get(reverse("workbench:inquiries"), {"page": 2})
    assert second.content.count(b"data-inquiry=") == 13


def test_detail_shows_the_full_number_and_logs_it(client_as, guide, transfers):
    client = client_as(guide)
    page = client.get(reverse("workbench:inquiry", args=[transfers[0].pk]))
    assert page.status_code == 200 and b"13800138000" in page.content
    assert b'data-action="inquiry.log"' in page.content
    assert Event.objects.filter(action="inquiry.view_contact", actor=guide).count() == 1


def test_follow_ups_and_transfers_flow(
    client_as, guide, clerk_two, transfers, django_assert_max_num_queries
):
    client = client_as(guide)
    with django_assert_max_num_queries(10):
        mine = client.get(reverse("workbench:inquiry_follow_ups"))
    assert mine.content.count(b"data-inquiry=") == 3
    client = client_as(clerk_two)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:inquiry_transfers"))
    assert page.content.count(b"data-inquiry=") == 3
    first = transfers[0]
    taken = client.post(reverse("workbench:inquiry_acknowledge", args=[first.pk]), **HTMX, **EN)
    assert taken.status_code == 200 and b"Taken on by" in taken.content
    assert b'hx-swap-oob="true"' in taken.content
    assert b"Taken on for your department" in taken.content
    again = client.post(reverse("workbench:inquiry_acknowledge", args=[first.pk]), **HTMX, **EN)
    # Issue 17 item 5: a second click is a 409 whose message the page shows.
    assert again.status_code == 409 and b"msg-error" in again.content
    assert b"already been taken on" in again.content
    first.refresh_from_db()
    assert first.acknowledged_by == clerk_two
    empty = client.post(
        reverse("workbench:inquiry_finish", args=[first.pk]), {f"i{first.pk}-result": ""}, **HTMX
    )
    assert empty.status_code == 200 and b"banner-bad" in empty.content
    done = client.post(
        reverse("workbench:inquiry_finish", args=[first.pk]),
        {f"i{first.pk}-result": "已回电", "back": "transfers"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("workbench:inquiry_transfers")
    first.refresh_from_db()
    assert first.status == InquiryStatus.DONE
    assert (
        client_as(guide)
        .get(reverse("workbench:inquiry_follow_ups"))
        .content.count(b"data-inquiry=")
        == 2
    )


def test_first_responder_cannot_finish_from_the_page(client_as, guide, transfers):
    client = client_as(guide)
    first = transfers[0]
    answer = client.post(
        reverse("workbench:inquiry_finish", args=[first.pk]),
        {f"i{first.pk}-result": "我自己关了"},
        **HTMX,
        **EN,
    )
    assert b"cannot close it" in answer.content
    first.refresh_from_db()
    assert first.status == InquiryStatus.OPEN


def test_phone_book_is_printable_and_masked(
    client_as, guide, county, django_assert_max_num_queries
):
    log(guide, county, 4)
    log(guide, county, 2, channel="visit")
    client = client_as(guide)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("workbench:inquiry_phone_book"))
    assert page.status_code == 200 and page.content.count(b"data-inquiry=") == 4
    assert b"data-print" in page.content and b"138****8000" in page.content


def test_rates_page(client_as, director, guide, county, transfers, django_assert_max_num_queries):
    log(guide, county, 2)
    client = client_as(director)
    client.get(reverse("workbench:inquiry_rates"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workbench:inquiry_rates"), {"period": "week"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="total-rate">40.0%' in html and "rate-bad" in html
    for period in ("day", "month"):
        assert client.get(reverse("workbench:inquiry_rates"), {"period": period}).status_code == 200
    assert client.get(reverse("workbench:inquiry_rates"), {"date": "x"}).status_code == 404


def test_rates_are_for_readers_only(client_as, clerk, guide, supervisor):
    assert client_as(clerk).get(reverse("workbench:inquiry_rates")).status_code == 404
    assert client_as(guide).get(reverse("workbench:inquiry_rates")).status_code == 404
    assert client_as(supervisor).get(reverse("workbench:inquiry_rates")).status_code == 200


def test_outsider_gets_404(client_as, outsider, county, transfers):
    client = client_as(outsider)
    first = transfers[0]
    assert client.get(reverse("workbench:inquiry", args=[first.pk])).status_code == 404
    assert client.post(reverse("workbench:inquiry_acknowledge", args=[first.pk])).status_code == 404
    assert (
        client.post(
            reverse("workbench:inquiry_finish", args=[first.pk]), {f"i{first.pk}-result": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("workbench:inquiry_rates"), {"center": county.pk}).status_code == 404
    listed = client.get(reverse("workbench:inquiries"))
    assert listed.status_code == 200 and b"data-inquiry=" not in listed.content
    assert b"data-inquiry=" not in client.get(reverse("workbench:inquiry_phone_book")).content
    first.refresh_from_db()
    assert first.acknowledged_at is None and first.status == InquiryStatus.OPEN


def test_navigation_asks_the_access_rules():
    allowed = {entry.url_name: entry.allowed for entry in NAV}
    assert allowed["workbench:inquiries"] is access.can_view_inquiries
    assert allowed["workbench:inquiry_log"] is access.can_log_inquiries
    assert allowed["workbench:inquiry_follow_ups"] is access.can_log_inquiries
    assert allowed["workbench:inquiry_transfers"] is access.can_receive_inquiries
    assert allowed["workbench:inquiry_phone_book"] is access.can_read_phone_book
    assert allowed["workbench:inquiry_rates"] is access.can_read_inquiry_rates
    names = [entry.url_name for entry in NAV]
    front = NAV[names.index("workbench:inquiries")]
    with translation.override("en"):
        assert str(front.section) == "Front desk"
