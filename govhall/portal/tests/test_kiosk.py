"""The ticket kiosk (取号机), the printable ticket and the citizen's ticket page (SPEC §7;
seeds/000… 篇3 导视系统 排队叫号): tickets with the people ahead, refusals shown with nothing
issued, the appointment check-in, CSRF, and 404 for unknown or inactive centers and tickets."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from govhall.frontdesk.models import Appointment, Slot, Ticket, TicketPriority, TicketStatus
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.workdays.models import CenterDay

pytestmark = pytest.mark.usefixtures("hall_open")


def kiosk(center) -> str:  # type: ignore[no-untyped-def]
    return f"/kiosk/{center.code}/"


def take(client, center, letter="A", **data):  # type: ignore[no-untyped-def]
    return client.post(f"/kiosk/{center.code}/take/{letter}/", data)


def error_box(html: str) -> str:
    found = re.search(
        r'<div class="kiosk-error" id="kiosk-error" role="alert">(.*?)</div>', html, re.S
    )
    assert found, html
    return found.group(1)


class TestKioskPage:
    def test_groups_with_waiting_counts(self, client, county, queue_groups):
        ticket_take(group=queue_groups["B"])
        ticket_take(group=queue_groups["B"])
        response = client.get(kiosk(county))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-group="A"' in html and 'data-group="B"' in html
        assert re.search(r'data-waiting="2">2 人等候', html)
        assert "市场监管" in html and 'id="kiosk-appointment"' in html

    def test_unknown_and_inactive_centers_are_404(self, client, county, queue_groups):
        assert client.get("/kiosk/nope/").status_code == 404
        county.is_active = False
        county.save()
        assert client.get(kiosk(county)).status_code == 404
        assert take(client, county).status_code == 404
        assert not Ticket.objects.exists()

    def test_another_center_shows_none_of_these_groups(self, client, other_county, queue_groups):
        html = client.get(kiosk(other_county)).content.decode()
        assert "市场监管" not in html and "data-group" not in html
        assert take(client, other_county, "A").status_code == 404

    def test_inactive_group_is_404(self, client, county, queue_groups):
        queue_groups["A"].is_active = False
        queue_groups["A"].save()
        assert client.get(f"/kiosk/{county.code}/take/A/").status_code == 404
        assert client.get(f"/kiosk/{county.code}/take/Z/").status_code == 404

    def test_page_queries_do_not_grow_with_groups(
        self, client, county, queue_groups, django_assert_max_num_queries
    ):
        for n in range(6):
            ticket_take(group=queue_groups["A" if n % 2 else "B"])
        with django_assert_max_num_queries(4):
            assert client.get(kiosk(county)).status_code == 200


class TestTaking:
    def test_take_a_ticket_and_see_the_people_ahead(self, client, county, queue_groups):
        response = take(client, county, "A")
        first = Ticket.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/kiosk/{county.code}/ticket/{first.token}/"
        html = client.get(response["Location"]).content.decode()
        assert '<p class="kiosk-number" id="kiosk-number">A001</p>' in html
        assert 'data-ahead="0"' in html and "<svg" in html
        assert f"/ticket/{first.token}/print/?print=1" in html
        assert first.issued_by is None and first.priority == TicketPriority.NORMAL

        second = take(client, county, "A", phone="138 0013 8000")
        ticket = Ticket.objects.get(number="A002")
        assert ticket.phone == "13800138000"
        html = client.get(second["Location"]).content.decode()
        assert 'data-ahead="1"' in html and "1 人" in html

    def test_elderly_priority_goes_first(self, client, county, queue_groups):
        take(client, county, "A")
        take(client, county, "A", elderly_disabled="on")
        ticket = Ticket.objects.get(number="A002")
        assert ticket.priority == TicketPriority.ELDERLY_DISABLED
        html = client.get(f"/kiosk/{county.code}/ticket/{ticket.token}/").content.decode()
        assert 'data-ahead="0"' in html

    def test_a_kiosk_with_a_printer_prints_at_once(self, client, county, queue_groups):
        page = client.get(f"{kiosk(county)}?print=1").content.decode()
        assert f"/kiosk/{county.code}/take/A/?print=1" in page
        response = take(client, county, "A", print="1")
        assert response["Location"].endswith("?print=1")
        html = client.get(response["Location"]).content.decode()
        assert 'id="kiosk-print-frame"' in html
        assert f'data-return-url="/kiosk/{county.code}/restart/?print=1"' in html
        plain = client.get(take(client, county, "A")["Location"]).content.decode()
        assert 'id="kiosk-print-frame"' not in plain
        # Every kiosk returns to its first screen for the next citizen (issue 17).
        assert f'data-return-url="/kiosk/{county.code}/restart/"' in plain

    def test_daily_limit_shows_the_message_and_issues_nothing(self, client, county, queue_groups):
        group = queue_groups["A"]
        group.daily_limit = 1
        group.save()
        take(client, county, "A")
        response = take(client, county, "A")
        assert response.status_code == 422
        box = error_box(response.content.decode())
        assert "未出号" in box and "今日" in box
        assert Ticket.objects.filter(group=group).count() == 1

    def test_bad_phone_shows_the_message_and_issues_nothing(self, client, county, queue_groups):
        response = take(client, county, "A", phone="12345")
        assert response.status_code == 422
        box = error_box(response.content.decode())
        assert "手机" in box
        assert 'value="12345"' in response.content.decode()  # kept for correcting
        assert not Ticket.objects.exists()

    def test_hall_closed_shows_the_message_and_issues_nothing(
        self, client, county, queue_groups, settings
    ):
        settings.GOVHALL_QUEUE_ENFORCE_HOURS = True
        CenterDay.objects.create(
            center_id=county.pk, date=timezone.localdate(), kind="closed", reason="停电"
        )
        response = take(client, county, "A")
        assert response.status_code == 422
        assert "今日大厅不办公" in error_box(response.content.decode())
        assert not Ticket.objects.exists()

    def test_the_form_is_protected_by_csrf(self, county, queue_groups):
        strict = Client(enforce_csrf_checks=True)
        assert take(strict, county, "A").status_code == 403
        assert not Ticket.objects.exists()
        page = strict.get(f"/kiosk/{county.code}/take/A/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        assert token
        ok = take(strict, county, "A", csrfmiddlewaretoken=token.group(1))
        assert ok.status_code == 302 and Ticket.objects.count() == 1

    def test_kiosk_ticket_of_another_center_is_404(
        self, client, county, other_county, queue_groups
    ):
        ticket = ticket_take(group=queue_groups["A"])
        assert client.get(f"/kiosk/{other_county.code}/ticket/{ticket.token}/").status_code == 404
        assert client.get(f"/kiosk/{county.code}/ticket/nope/").status_code == 404


@pytest.fixture
def appointment(county, queue_groups):  # type: ignore[no-untyped-def]
    # A slot around now that stays inside today (the suite also runs just before midnight).
    now = timezone.localtime().replace(second=0, microsecond=0)
    day_start = now.replace(hour=0, minute=0)
    day_end = now.replace(hour=23, minute=59)
    slot = Slot.objects.create(
        group=queue_groups["B"],
        date=now.date(),
        starts=max(now - datetime.timedelta(minutes=5), day_start).time(),
        ends=min(now + datetime.timedelta(minutes=25), day_end).time(),
        capacity=4,
        booked=1,
    )
    return Appointment.objects.create(
        center=county,
        group=queue_groups["B"],
        slot=slot,
        date=slot.date,
        starts=slot.starts,
        ends=slot.ends,
        code="K7P2MX9Q",
        name="张三",
        id_number="110101199003074477",
        phone="13800000001",
        channel="portal",
        status="booked",
    )


class TestCheckIn:
    def test_booking_code_gives_a_priority_ticket(self, client, county, queue_groups, appointment):
        ticket_take(group=queue_groups["B"])
        page = client.get(f"/kiosk/{county.code}/appointment/")
        assert page.status_code == 200 and 'id="kiosk-check-in-form"' in page.content.decode()
        response = client.post(f"/kiosk/{county.code}/appointment/", {"code": "k7p2-mx9q"})
        assert response.status_code == 302
        ticket = Ticket.objects.get(appointment=appointment)
        assert ticket.priority == TicketPriority.APPOINTMENT and ticket.number == "B002"
        html = client.get(response["Location"]).content.decode()
        assert 'id="kiosk-number">B002<' in html and 'data-ahead="0"' in html
        appointment.refresh_from_db()
        assert appointment.status == "checked_in"

    def test_unknown_or_used_codes_show_the_message(self, client, county, appointment):
        response = client.post(f"/kiosk/{county.code}/appointment/", {"code": "ZZZZ"})
        assert response.status_code == 422
        # The check-in service's own message (in the page's language).
        assert gettext("No appointment has this booking code.") in error_box(
            response.content.decode()
        )
        client.post(f"/kiosk/{county.code}/appointment/", {"code": appointment.code})
        again = client.post(f"/kiosk/{county.code}/appointment/", {"code": appointment.code})
        assert again.status_code == 422
        assert Ticket.objects.count() == 1

    def test_a_code_of_another_hall_is_refused(self, client, other_county, appointment):
        response = client.post(
            f"/kiosk/{other_county.code}/appointment/", {"code": appointment.code}
        )
        assert response.status_code == 422
        assert gettext("No appointment has this booking code.") in error_box(
            response.content.decode()
        )
        assert not Ticket.objects.exists()
        appointment.refresh_from_db()
        assert appointment.status == "booked"


class TestTicketPages:
    def test_print_page_is_a_narrow_receipt(self, client, county, queue_groups):
        ticket_take(group=queue_groups["A"])
        ticket = ticket_take(group=queue_groups["A"])
        response = client.get(f"/ticket/{ticket.token}/print/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<p class="ticket-number" id="ticket-number">A002</p>' in html
        assert 'data-ahead="1"' in html and county.name in html and "市场监管" in html
        assert ticket.taken_at.astimezone(timezone.get_current_timezone()).strftime("%H:%M") in html
        assert "请留意叫号屏幕" in html
        assert "data-auto-print" not in html and 'class="receipt paper-80"' in html
        printing = client.get(f"/ticket/{ticket.token}/print/?print=1&paper=58").content.decode()
        assert 'data-auto-print="1"' in printing and "paper-58" in printing

    def test_receipt_stylesheet_sets_the_paper(self):
        from django.contrib.staticfiles import finders

        path = finders.find("portal/ticket-print.css")
        assert path
        css = Path(str(path)).read_text(encoding="utf-8")
        assert "size: 80mm auto" in css and "size: 58mm auto" in css

    def test_status_page_follows_the_ticket(self, client, county, queue_groups, clerk, hall_window):
        ticket_take(group=queue_groups["A"])
        ticket = ticket_take(group=queue_groups["A"])
        url = f"/ticket/{ticket.token}/"
        html = client.get(url).content.decode()
        assert 'id="ticket-number">A002<' in html and 'data-ahead="1"' in html
        assert f'hx-get="{url}"' in html and 'hx-trigger="every 5s"' in html
        assert "vendor/htmx/htmx.min.js" in html

        ticket_call_next(actor=clerk, window=hall_window)
        partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert partial.lstrip().startswith('<section class="ticket-live"')
        assert 'data-ahead="0"' in partial
        first = Ticket.objects.get(number="A001")
        ticket_act(actor=clerk, ticket=first, action=TicketAction.NO_SHOW)
        called = ticket_call_next(actor=clerk, window=hall_window)
        assert called is not None and called.pk == ticket.pk
        partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert 'data-status="called"' in partial and "1 号窗口" in partial

        ticket.refresh_from_db()
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START)
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.FINISH)
        done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert 'data-status="done"' in done and "hx-trigger" not in done
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE

    def test_unknown_tokens_are_404(self, client, county, queue_groups):
        assert client.get("/ticket/nope/").status_code == 404
        assert client.get("/ticket/nope/print/").status_code == 404
