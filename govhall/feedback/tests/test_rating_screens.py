"""Rating screens (评价器, issue 15 item 1): pairing with a one-time code, revoking, who may manage
which window's screens, and what a screen shows — its own window's occasion only, idle after
GOVHALL_RATING_SCREEN_SECONDS and once rated."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.ratelimit import RateLimited
from govhall.core.roles import Role
from govhall.feedback.access.rating_screens import access_rating_screen, rating_screen_windows
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import Rating, RatingChannel, RatingScreen
from govhall.feedback.queries.rating_screens import (
    screen_fingerprint,
    screen_occasion,
    screen_of_device,
    screen_state,
)
from govhall.feedback.services.rating_screens import (
    RatingScreenConflict,
    rating_screen_create,
    rating_screen_issue_code,
    rating_screen_pair,
    rating_screen_rate,
    rating_screen_revoke,
)
from govhall.feedback.services.ratings import rating_give
from govhall.testing.factories import make_staff
from govhall.testing.rating_occasions import delivered_case, done_ticket

ADDRESS = "10.0.0.7"


@pytest.fixture
def head_two(county, other_department, second_window):  # type: ignore[no-untyped-def]
    head = make_staff(Role.WINDOW_HEAD, county, other_department, username="head_two")
    second_window.head = head
    second_window.save()
    return head


def paired(actor, window, *, now=None):  # type: ignore[no-untyped-def]
    screen = rating_screen_create(actor=actor, window=window)
    screen = rating_screen_issue_code(actor=actor, screen=screen, now=now)
    return rating_screen_pair(code=screen.pairing_code, client=ADDRESS, now=now)


class TestPairing:
    def test_code_pairs_once_and_the_cookie_names_the_screen(self, director, hall_window):
        screen = rating_screen_create(actor=director, window=hall_window, label="平板 01")
        assert screen.paired_at is None and screen.secret_hash == ""
        screen = rating_screen_issue_code(actor=director, screen=screen)
        code = screen.pairing_code
        assert len(code) == 8
        # Typed loosely on the tablet: lower case, a space.
        pairing = rating_screen_pair(code=f"{code[:4].lower()} {code[4:]}", client=ADDRESS)
        assert pairing.screen.pk == screen.pk
        screen.refresh_from_db()
        assert screen.paired_at is not None and screen.pairing_code == ""
        secret = pairing.token.partition(":")[2]
        assert secret and secret not in screen.secret_hash  # only its hash is kept
        assert screen_of_device(pairing.token) == screen
        assert screen_of_device(f"{screen.pk}:wrong") is None
        # Single use: the same code again is refused.
        with pytest.raises(ValidationError) as refused:
            rating_screen_pair(code=code, client=ADDRESS)
        assert "code" in refused.value.message_dict
        actions = set(
            Event.objects.filter(object_id=str(screen.pk)).values_list("action", flat=True)
        )
        assert {
            FeedbackEvent.RATING_SCREEN_CREATE,
            FeedbackEvent.RATING_SCREEN_ISSUE_CODE,
            FeedbackEvent.RATING_SCREEN_PAIR,
        } <= actions
        # The code is never written to the event log.
        assert not Event.objects.filter(data__icontains=code).exists()

    def test_code_expires_at_its_minute(self, director, hall_window, settings):
        settings.GOVHALL_RATING_SCREEN_PAIRING_MINUTES = 10
        issued = timezone.now()
        screen = rating_screen_create(actor=director, window=hall_window)
        screen = rating_screen_issue_code(actor=director, screen=screen, now=issued)
        expiry = issued + datetime.timedelta(minutes=10)
        assert screen.pairing_expires_at == expiry
        with pytest.raises(ValidationError):
            rating_screen_pair(code=screen.pairing_code, client=ADDRESS, now=expiry)
        pairing = rating_screen_pair(
            code=screen.pairing_code,
            client=ADDRESS,
            now=expiry - datetime.timedelta(seconds=1),
        )
        assert pairing.screen.pk == screen.pk

    def test_pairing_again_replaces_the_tablet_and_revoke_stops_it(self, director, hall_window):
        first = paired(director, hall_window)
        screen = rating_screen_issue_code(actor=director, screen=first.screen)
        second = rating_screen_pair(code=screen.pairing_code, client=ADDRESS)
        assert screen_of_device(first.token) is None
        assert screen_of_device(second.token) is not None
        revoked = rating_screen_revoke(actor=director, screen=screen, reason="平板丢失")
        assert revoked.revoked_at is not None
        assert screen_of_device(second.token) is None
        with pytest.raises(RatingScreenConflict):
            rating_screen_issue_code(actor=director, screen=revoked)
        with pytest.raises(RatingScreenConflict):
            rating_screen_revoke(actor=director, screen=revoked)
        # A code issued before the revocation dies with it.
        other = rating_screen_create(actor=director, window=hall_window)
        other = rating_screen_issue_code(actor=director, screen=other)
        code = other.pairing_code
        rating_screen_revoke(actor=director, screen=other)
        with pytest.raises(ValidationError):
            rating_screen_pair(code=code, client=ADDRESS)

    def test_pairing_attempts_are_rate_limited_per_address(self, director, hall_window, settings):
        settings.GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR = 2
        screen = rating_screen_create(actor=director, window=hall_window)
        screen = rating_screen_issue_code(actor=director, screen=screen)
        for _attempt in range(2):
            with pytest.raises(ValidationError):
                rating_screen_pair(code="WRONGCOD", client=ADDRESS)
        with pytest.raises(RateLimited):
            rating_screen_pair(code=screen.pairing_code, client=ADDRESS)
        # Another address still pairs.
        assert rating_screen_pair(code=screen.pairing_code, client="10.0.0.8").screen == screen


class TestPermission:
    def test_managers_and_the_window_head_only(
        self, director, window_head, head_two, outsider, clerk, hall_window, second_window
    ):
        # The hall director manages every window of the center; a head only their window.
        assert set(rating_screen_windows(director)) == {hall_window, second_window}
        assert set(rating_screen_windows(window_head)) == {hall_window}
        assert not rating_screen_windows(clerk).exists()
        assert not rating_screen_windows(outsider).exists()

        screen = rating_screen_create(actor=window_head, window=hall_window)
        rating_screen_issue_code(actor=window_head, screen=screen)
        for stranger in (outsider, head_two, clerk):
            with pytest.raises(Http404):
                rating_screen_create(actor=stranger, window=hall_window)
            with pytest.raises(Http404):
                rating_screen_issue_code(actor=stranger, screen=screen)
            with pytest.raises(Http404):
                rating_screen_revoke(actor=stranger, screen=screen)
            with pytest.raises(Http404):
                access_rating_screen(stranger, screen.pk)
        with pytest.raises(Http404):
            rating_screen_create(actor=window_head, window=second_window)
        assert access_rating_screen(director, screen.pk) == screen
        assert RatingScreen.objects.count() == 1
        assert rating_screen_revoke(actor=window_head, screen=screen).revoked_at is not None


class TestWhatTheScreenShows:
    def test_lights_up_for_its_own_window_only_then_idle(
        self, director, hall_window, second_window, queue_groups, clerk, settings
    ):
        settings.GOVHALL_RATING_SCREEN_SECONDS = 120
        clerk.full_name = "王小明"
        clerk.save()
        clerk.staff.staff_number = "GH-0042"
        clerk.staff.save()
        one = paired(director, hall_window).screen
        two = paired(director, second_window).screen
        now = timezone.now()
        assert screen_state(one, now)["mode"] == "idle"
        idle_print = screen_fingerprint(one, now)

        ticket = done_ticket(queue_groups["A"], hall_window, clerk, finished=now)
        state = screen_state(one, now)
        assert state["mode"] == "rate" and state["occasion"] == f"ticket:{ticket.pk}"
        assert state["staff"] == {"name": "王小明", "number": "GH-0042", "initial": "王"}
        assert state["window"]["number"] == 1
        assert screen_fingerprint(one, now) != idle_print
        assert screen_state(two, now)["mode"] == "idle"  # another window's screen stays dark

        # Idle once GOVHALL_RATING_SCREEN_SECONDS have passed.
        assert screen_occasion(one, now + datetime.timedelta(seconds=120)) is not None
        later = now + datetime.timedelta(seconds=121)
        assert screen_state(one, later)["mode"] == "idle"
        assert screen_fingerprint(one, later) == (*screen_fingerprint(one, now)[:2], None)

    def test_rating_on_the_screen_rates_its_windows_occasion_and_goes_idle(
        self, director, hall_window, second_window, queue_groups, clerk, clerk_two
    ):
        one = paired(director, hall_window).screen
        two = paired(director, second_window).screen
        now = timezone.now()
        ticket = done_ticket(queue_groups["B"], second_window, clerk_two, finished=now)
        # Screen one has nothing to rate: it can never rate window 2's ticket.
        with pytest.raises(RatingScreenConflict):
            rating_screen_rate(screen=one, level=5, now=now)
        # A key the screen did not show is refused too.
        with pytest.raises(RatingScreenConflict):
            rating_screen_rate(screen=two, level=5, occasion="ticket:999999", now=now)
        with pytest.raises(ValidationError) as refused:
            rating_screen_rate(screen=two, level=1, occasion=f"ticket:{ticket.pk}", now=now)
        assert "reason" in refused.value.message_dict  # a bad rating needs a reason
        rating = rating_screen_rate(
            screen=two, level=1, reason="slow", occasion=f"ticket:{ticket.pk}", now=now
        )
        assert rating.channel == RatingChannel.WINDOW_SCREEN
        assert (rating.ticket_id, rating.window_id, rating.staff_id) == (
            ticket.pk,
            second_window.pk,
            clerk_two.pk,
        )
        assert screen_state(two, now)["mode"] == "idle"
        with pytest.raises(RatingScreenConflict):
            rating_screen_rate(screen=two, level=5, now=now)
        assert Rating.objects.count() == 1

    def test_a_case_delivered_at_the_window_and_the_latest_occasion(
        self, director, hall_window, case_item, queue_groups, clerk, clerk_b
    ):
        one = paired(director, hall_window).screen
        now = timezone.now()
        ticket = done_ticket(
            queue_groups["A"], hall_window, clerk, finished=now - datetime.timedelta(seconds=30)
        )
        mailed = delivered_case(
            case_item, hall_window, delivered=now, delivered_by=clerk_b, delivery_method="express"
        )
        assert screen_state(one, now)["occasion"] == f"ticket:{ticket.pk}"  # mail is not here
        case = delivered_case(
            case_item,
            hall_window,
            delivered=now - datetime.timedelta(seconds=10),
            delivered_by=clerk_b,
            delivery_method="pickup",
        )
        state = screen_state(one, now)
        assert state["occasion"] == f"case:{case.pk}"  # the latest
        assert state["staff"]["name"] == clerk_b.display_name  # who delivered it
        rating_give(
            actor=None, kind="case", occasion_id=case.pk, level=5, channel="qr_code", now=now
        )
        # Rated elsewhere (the QR code): the screen falls back to the ticket.
        assert screen_state(one, now)["occasion"] == f"ticket:{ticket.pk}"
        assert mailed.pk != case.pk

    def test_revoked_screen_reads_unpaired(self, director, hall_window):
        screen = paired(director, hall_window).screen
        now = timezone.now()
        before = screen_fingerprint(screen, now)
        RatingScreen.objects.filter(pk=screen.pk).update(revoked_at=now)
        assert screen_fingerprint(screen, now) != before
        assert screen_state(screen, now)["mode"] == "unpaired"
