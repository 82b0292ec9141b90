"""The public rating page (/rate/<token>/), its links from the ticket page and the progress page,
and the monthly rankings (/ratings/)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.feedback.models import FollowUpStatus, Rating
from govhall.feedback.services.rating_tokens import occasion_token, rerate_token
from govhall.frontdesk.models import TicketStatus
from govhall.testing.cases import PHONE
from govhall.testing.rating_occasions import delivered_case, done_ticket
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_item, hall_window, clerk_b):  # type: ignore[no-untyped-def]
    clerk_b.full_name = "李服务"
    clerk_b.save()
    clerk_b.staff.staff_number = "A0217"
    clerk_b.staff.save()
    return delivered_case(case_item, hall_window, delivered_by=clerk_b)


def url(case, **query):  # type: ignore[no-untyped-def]
    path = reverse("portal:rate", args=[occasion_token(f"case:{case.pk}")])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_the_service_the_clerk_and_the_five_levels(client, case, hall_window):
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in html
    assert "李服务" in html and "A0217" in html and hall_window.name in html
    assert case.item.name in html
    assert 'id="rate-reasons"' in html


def test_a_good_rating_through_the_sms_link(client, case):
    response = client.post(url(case, via="sms"), {"level": "5"})
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.case) == (5, "sms", case)
    assert client.get(response["Location"]).status_code == 200


def test_a_bad_rating_needs_a_reason_then_is_taken(client, case):
    refused = client.post(url(case), {"level": "2"})
    assert refused.status_code == 422 and not Rating.objects.exists()
    taken = client.post(
        url(case), {"level": "2", "reason": "slow", "rater_name": "王五", "rater_phone": PHONE}
    )
    assert taken.status_code == 302 and taken["Location"].endswith("?bad=1")
    rating = Rating.objects.get()
    assert (rating.reason, rating.channel, rating.follow_up) == ("slow", "qr_code", "open")
    assert rating.rater_name == "王五"


def test_already_rated_shows_a_message_and_no_form(client, case):
    make_rating(case, level=5)
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="rate-message"' in html and 'id="rate-form"' not in html
    posted = client.post(url(case), {"level": "1", "reason": "slow"})
    assert posted.status_code == 200 and Rating.objects.count() == 1


def test_too_late_shows_a_message(client, case_item, hall_window, settings):
    settings.GOVHALL_RATING_SUPPLEMENT_DAYS = 7
    old = delivered_case(
        case_item, hall_window, delivered=timezone.now() - datetime.timedelta(days=9)
    )
    html = client.get(url(old)).content.decode()
    assert 'id="rate-message"' in html and 'id="rate-form"' not in html


def test_a_forged_token_is_404_with_a_message(client, case):
    token = occasion_token(f"case:{case.pk}")
    response = client.get(f"/rate/{token[:-3]}abc/")
    assert response.status_code == 404
    assert 'id="rate-message"' in response.content.decode()
    assert client.get("/rate/bm90LWEtdG9rZW4/").status_code == 404


def test_the_re_rating_link_rates_again_once_the_follow_up_is_closed(client, case):
    bad = make_rating(case, level=1, reason="attitude", follow_up=FollowUpStatus.OPEN)
    link = reverse("portal:rate", args=[rerate_token(bad.pk)])
    assert 'id="rate-form"' not in client.get(link).content.decode()
    Rating.objects.filter(pk=bad.pk).update(follow_up=FollowUpStatus.CLOSED)
    assert 'id="rate-form"' in client.get(link).content.decode()
    assert client.post(link, {"level": "4"}).status_code == 302
    again = Rating.objects.get(supersedes=bad)
    assert again.level == 4
    assert 'id="rate-form"' not in client.get(link).content.decode()


def test_posts_are_rate_limited_per_address(client, case, case_item, hall_window, settings):
    settings.GOVHALL_RATE_RATING_PER_ADDRESS_HOUR = 1
    assert client.post(url(case), {"level": "5"}).status_code == 302
    other = delivered_case(case_item, hall_window)
    assert client.post(url(other), {"level": "5"}).status_code == 429
    assert Rating.objects.count() == 1


def test_the_ticket_page_offers_the_rating_once_the_ticket_is_finished(
    client, queue_groups, hall_window, clerk
):
    serving = done_ticket(queue_groups["A"], hall_window, clerk, status=TicketStatus.SERVING)
    page = client.get(reverse("portal:ticket", args=[serving.token])).content.decode()
    assert 'id="ticket-rate"' not in page
    finished = done_ticket(queue_groups["A"], hall_window, clerk)
    page = client.get(reverse("portal:ticket", args=[finished.token])).content.decode()
    link = reverse("portal:rate", args=[occasion_token(f"ticket:{finished.pk}")])
    assert f'href="{link}"' in page
    assert client.post(link, {"level": "5"}).status_code == 302
    assert Rating.objects.get().ticket == finished


def test_the_progress_page_offers_the_rating_of_a_delivered_case(client, case):
    query = {"number": case.number, "last4": PHONE[-4:]}
    page = client.get(reverse("portal:progress"), query).content.decode()
    assert 'id="progress-rate"' in page and "via=progress_page" in page
    make_rating(case, level=5)
    page = client.get(reverse("portal:progress"), query).content.decode()
    assert 'id="progress-rate"' not in page


def test_the_rankings_page_shows_windows_and_staff_without_phones(
    client, county, case, hall_window, clerk_b
):
    clerk_b.phone = "13911112222"
    clerk_b.save()
    make_rating(case, level=5, staff=clerk_b, rated_at=timezone.now())
    response = client.get(reverse("portal:ratings"), {"center": county.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-window="{hall_window.pk}"' in html and f'data-staff="{clerk_b.pk}"' in html
    assert "李服务" in html and "13911112222" not in html and clerk_b.username not in html
    assert client.get(reverse("portal:ratings"), {"center": "nope"}).status_code == 404
    assert 'id="nav-ratings"' in client.get(reverse("portal:guides")).content.decode()
