"""The rating screen's pages (评价器, issue 15 item 1): pairing a tablet, the live stream of its
own window, the rating it posts, and the pairing page for a revoked or unpaired tablet; the
display board's strip of this month's best windows."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from govhall.feedback.models import Rating, RatingChannel
from govhall.feedback.services.rating_screens import (
    rating_screen_create,
    rating_screen_issue_code,
    rating_screen_revoke,
)
from govhall.portal.queue import views as board_views
from govhall.portal.rating_screen.views import SCREEN_COOKIE
from govhall.testing.cases import make_case
from govhall.testing.rating_occasions import done_ticket
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.usefixtures("hall_open")


def screen_events(chunks) -> list[dict]:  # type: ignore[no-untyped-def]
    found = []
    for chunk in chunks:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        for block in text.split("\n\n"):
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if lines.get("event") == "screen":
                found.append(json.loads(lines["data"]))
    return found


def pair_client(client, director, window):  # type: ignore[no-untyped-def]
    screen = rating_screen_create(actor=director, window=window)
    screen = rating_screen_issue_code(actor=director, screen=screen)
    response = client.post("/rating-screen/pair/", {"code": screen.pairing_code})
    assert response.status_code == 302 and response["Location"] == "/rating-screen/"
    assert response.cookies[SCREEN_COOKIE]["httponly"]
    return screen


def test_unpaired_tablet_sees_the_pairing_page(client, county):
    response = client.get("/rating-screen/")
    assert response.status_code == 302 and response["Location"] == "/rating-screen/pair/"
    events = screen_events(client.get("/rating-screen/stream").streaming_content)
    assert events == [{"mode": "unpaired"}]
    assert client.post("/rating-screen/rate", {"level": "5"}).status_code == 403
    wrong = client.post("/rating-screen/pair/", {"code": "ABCD2345"})
    assert wrong.status_code == 422 and SCREEN_COOKIE not in wrong.cookies
    page = client.get("/rating-screen/pair/?code=ABCD2345")
    assert page.status_code == 200 and 'value="ABCD2345"' in page.content.decode()


def test_pairing_rate_limited(client, county, settings):
    settings.GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR = 1
    assert client.post("/rating-screen/pair/", {"code": "ABCD2345"}).status_code == 422
    assert client.post("/rating-screen/pair/", {"code": "ABCD2345"}).status_code == 429


def test_paired_screen_streams_its_window_and_rates(
    client, director, hall_window, second_window, queue_groups, clerk, clerk_two, settings
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 1
    screen = pair_client(client, director, hall_window)
    page = client.get("/rating-screen/")
    html = page.content.decode()
    assert page.status_code == 200 and "portal/rating_screen.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    assert "非常满意" in html and "非常不满意" in html

    # Window 2's finished ticket does not light this screen.
    done_ticket(queue_groups["B"], second_window, clerk_two)
    first = screen_events(client.get("/rating-screen/stream").streaming_content)
    assert first[0]["mode"] == "idle" and first[0]["window"]["number"] == 1

    ticket = done_ticket(queue_groups["A"], hall_window, clerk)
    state = client.get("/rating-screen/state.json").json()
    assert state["mode"] == "rate" and state["occasion"] == f"ticket:{ticket.pk}"
    assert state["staff"]["name"] == clerk.display_name

    assert client.post("/rating-screen/rate", {"level": "9"}).status_code == 422
    stale = client.post("/rating-screen/rate", {"level": "5", "occasion": "ticket:1"})
    assert stale.status_code == 409
    response = client.post("/rating-screen/rate", {"level": "4", "occasion": state["occasion"]})
    assert response.status_code == 200 and response.json() == {"level": 4, "bad": False}
    rating = Rating.objects.get()
    assert (rating.channel, rating.window_id, rating.staff_id, rating.ticket_id) == (
        RatingChannel.WINDOW_SCREEN,
        hall_window.pk,
        clerk.pk,
        ticket.pk,
    )
    assert client.get("/rating-screen/state.json").json()["mode"] == "idle"
    again = client.post("/rating-screen/rate", {"level": "5", "occasion": state["occasion"]})
    assert again.status_code == 409

    screen.refresh_from_db()
    assert screen.last_seen_at is not None and screen.last_seen_at <= timezone.now()
    rating_screen_revoke(actor=director, screen=screen)
    assert client.get("/rating-screen/").status_code == 302
    assert client.get("/rating-screen/state.json").json() == {"mode": "unpaired"}


def test_ratings_on_a_screen_are_rate_limited(
    client, director, hall_window, queue_groups, clerk, settings
):
    settings.GOVHALL_RATE_SCREEN_RATINGS_PER_HOUR = 1
    pair_client(client, director, hall_window)
    done_ticket(queue_groups["A"], hall_window, clerk)
    assert client.post("/rating-screen/rate", {"level": "5"}).status_code == 200
    done_ticket(queue_groups["A"], hall_window, clerk)
    limited = client.post("/rating-screen/rate", {"level": "5"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_board_shows_the_months_best_windows_computed_once_a_minute(
    client, county, queue_groups, hall_window, second_window, case_item, monkeypatch, settings
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 1
    cache.clear()
    for level in (5, 5, 1):
        make_rating(make_case(case_item, hall_window), level=level)
    make_rating(make_case(case_item, second_window), level=4)
    calls = []
    real = board_views.monthly_rankings

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(board_views, "monthly_rankings", counted)
    state = client.get(f"/board/{county.code}/state.json").json()
    windows = state["rankings"]["windows"]
    assert [(row["number"], row["rate"]) for row in windows] == [(2, 100.0), (1, 66.7)]
    # The stream polls its fingerprint several times a second: the rankings come from the cache.
    list(client.get(f"/board/{county.code}/stream").streaming_content)
    client.get(f"/board/{county.code}/")
    assert len(calls) == 1
    cache.clear()  # a minute later
    client.get(f"/board/{county.code}/state.json")
    assert len(calls) == 2
