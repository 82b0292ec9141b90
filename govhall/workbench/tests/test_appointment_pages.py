"""Workbench appointment pages: day sheet, list, phone booking, detail with cancel, off-hours
requests (htmx decision), the outage form with its preview, rates; outsiders see nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import OutboundMessage
from govhall.frontdesk.models import Appointment, Slot
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_off_hours import appointment_request_off_hours
from govhall.frontdesk.services.appointment_slots import slots_ensure
from govhall.testing.appointments import MONDAY, SAT, TUE, group, id_number
from govhall.testing.phone_codes import phone_code
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
__all__ = ["group"]  # the fixture, imported for this module's tests


def book(group, n=1, day=TUE, starts=datetime.time(8, 30)):  # type: ignore[no-untyped-def]
    return appointment_book(
        actor=None,
        group=group,
        date=day,
        starts=starts,
        name=f"申请人{n}",
        id_number=id_number(n),
        phone=f"138{n:08d}",
        channel="portal",
        at=MONDAY,
        client=f"test:{n}",
        phone_code=phone_code(f"138{n:08d}", at=MONDAY),
    )


def off_hours(group, n=5):  # type: ignore[no-untyped-def]
    return appointment_request_off_hours(
        actor=None,
        group=group,
        date=SAT,
        starts=datetime.time(9, 0),
        name="李四",
        id_number=id_number(n),
        phone="13900000005",
        matter="急需办理营业执照",
        channel="portal",
        at=MONDAY,
        client=f"test:{n}",
        phone_code=phone_code("13900000005", at=MONDAY),
    )


def next_workday() -> datetime.date:
    # The booking page books "now": the first working day after today (real clock).
    return calendar_for(None).add_workdays(timezone.localdate(), 1)


class TestDaySheet:
    def test_shows_slots_free_places_and_holders(self, client_as, clerk, group):
        booked = book(group)
        response = client_as(clerk).get(
            reverse("workbench:appointments"), {"group": group.pk, "date": "2026-06-09"}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert booked.code in body and "申请人1" in body
        assert body.count('data-slot="') == 13
        assert 'data-free="3"' in body  # 4 places, 1 booked
        assert "Book" in body or "预约" in body

    def test_a_non_working_day_says_so(self, client_as, clerk, group):
        response = client_as(clerk).get(
            reverse("workbench:appointments"), {"group": group.pk, "date": "2026-06-13"}
        )
        assert 'id="not-workday"' in response.content.decode()
        assert not Slot.objects.filter(date=SAT).exists()

    def test_outsider_and_citizens_see_nothing(self, client, client_as, outsider, group):
        book(group)
        response = client_as(outsider).get(
            reverse("workbench:appointments"), {"group": group.pk, "date": "2026-06-09"}
        )
        assert response.status_code == 404
        client.logout()
        assert client.get(reverse("workbench:appointments")).status_code == 302

    def test_nav_shows_the_entries(self, client_as, director, clerk, social_supervisor):
        body = client_as(director).get(reverse("workbench:home")).content.decode()
        assert reverse("workbench:appointments") in body
        assert reverse("workbench:appointment_requests") in body
        # A clerk reads the off-hours requests (the page answers 200), a manager decides them.
        body = client_as(clerk).get(reverse("workbench:home")).content.decode()
        assert reverse("workbench:appointments") in body
        assert reverse("workbench:appointment_requests") in body
        body = client_as(social_supervisor).get(reverse("workbench:home")).content.decode()
        assert reverse("workbench:appointments") not in body
        assert reverse("workbench:appointment_requests") not in body


def test_nav_asks_the_access_rules():
    from govhall.frontdesk.access.appointments import can_read_appointments
    from govhall.workbench.navigation import NAV

    # The menu asks the question the pages ask (govhall/frontdesk/access/appointments.py).
    allowed = {entry.url_name: entry.allowed for entry in NAV}
    assert allowed["workbench:appointments"] is can_read_appointments
    assert allowed["workbench:appointment_requests"] is can_read_appointments


def test_day_sheet_and_requests_queries_do_not_grow(
    client_as, director, group, django_assert_max_num_queries
):
    client = client_as(director)
    params = {"group": group.pk, "date": "2026-06-09"}
    book(group, n=1)
    off_hours(group, n=30)
    client.get(reverse("workbench:appointments"), params)
    with django_assert_max_num_queries(16):
        client.get(reverse("workbench:appointments"), params)
    with django_assert_max_num_queries(16):
        client.get(reverse("workbench:appointment_requests"))
    slots = list(Slot.objects.filter(group=group, date=TUE).order_by("starts"))
    for n in range(2, 20):
        book(group, n=n, starts=slots[n % 13].starts)
    for n in range(31, 40):
        appointment_request_off_hours(
            actor=None,
            group=group,
            date=SAT,
            starts=datetime.time(9, 0),
            name=f"申请{n}",
            id_number=id_number(n),
            phone=f"139{n:08d}",
            channel="portal",
            at=MONDAY,
            client=f"test:{n}",
            phone_code=phone_code(f"139{n:08d}", at=MONDAY),
        )
    with django_assert_max_num_queries(16):
        sheet = client.get(reverse("workbench:appointments"), params)
    with django_assert_max_num_queries(16):
        requests = client.get(reverse("workbench:appointment_requests"))
    assert sheet.content.decode().count("<code>") == 19
    assert requests.content.decode().count('id="request-') == 10


class TestList:
    def test_filters_and_masks(self, client_as, guide, group, queue_groups):
        first = book(group, n=1)
        other = book(queue_groups["B"], n=2)
        client = client_as(guide)
        body = client.get(reverse("workbench:appointment_list")).content.decode()
        assert first.code in body and other.code in body
        assert first.id_number not in body and first.masked_id in body
        body = client.get(
            reverse("workbench:appointment_list"), {"group": group.pk}
        ).content.decode()
        assert first.code in body and other.code not in body
        body = client.get(
            reverse("workbench:appointment_list"), {"q": first.code.lower()}
        ).content.decode()
        assert first.code in body and other.code not in body

    def test_query_count_does_not_grow(
        self, client_as, guide, group, django_assert_max_num_queries
    ):
        for n in range(1, 4):
            book(group, n=n)
        client = client_as(guide)
        client.get(reverse("workbench:appointment_list"))
        with django_assert_max_num_queries(12):
            small = client.get(reverse("workbench:appointment_list"))
        for n in range(4, 25):
            # Spread over the day's slots (4 places each).
            slot = Slot.objects.filter(group=group, date=TUE).order_by("starts")[n % 13]
            book(group, n=n, starts=slot.starts)
        with django_assert_max_num_queries(12):
            big = client.get(reverse("workbench:appointment_list"))
        assert small.status_code == big.status_code == 200
        assert big.content.decode().count("data-appointment=") == 24

    def test_outsider_sees_none(self, client_as, outsider, group):
        booked = book(group)
        body = client_as(outsider).get(reverse("workbench:appointment_list")).content.decode()
        assert booked.code not in body


class TestPhoneBooking:
    def _data(self, group, **extra):  # type: ignore[no-untyped-def]
        return {
            "group": group.pk,
            "date": next_workday().isoformat(),
            "starts": "09:00",
            "name": "电话预约人",
            "id_number": id_number(7),
            "phone": "13700000007",
            "channel": "phone",
            **extra,
        }

    def test_guide_books_a_phone_call(
        self, client_as, guide, group, django_capture_on_commit_callbacks
    ):
        client = client_as(guide)
        form = client.get(
            reverse("workbench:appointment_book"),
            {"group": group.pk, "date": "2026-06-09", "starts": "09:00"},
        )
        assert form.status_code == 200 and 'value="2026-06-09"' in form.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("workbench:appointment_book"), self._data(group))
        appointment = Appointment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "workbench:appointment", kwargs={"appointment_id": appointment.pk}
        )
        assert appointment.channel == "phone" and appointment.booked_by == guide
        assert OutboundMessage.objects.filter(to="13700000007").exists()

    def test_refusal_shows_the_reason_on_the_form(self, client_as, guide, group):
        client = client_as(guide)
        client.post(reverse("workbench:appointment_book"), self._data(group))
        again = client.post(
            reverse("workbench:appointment_book"), self._data(group, starts="10:00")
        )
        assert again.status_code == 400
        assert "2026" in again.content.decode() and "errorlist" in again.content.decode()
        assert Appointment.objects.count() == 1
        today = client.post(
            reverse("workbench:appointment_book"),
            self._data(group, date=timezone.localdate().isoformat(), id_number=id_number(8)),
        )
        assert today.status_code == 400 and Appointment.objects.count() == 1

    def test_off_hours_request_by_phone(self, client_as, guide, group):
        client = client_as(guide)
        response = client.post(
            reverse("workbench:appointment_book"),
            self._data(group, starts="18:30", off_hours="on"),
        )
        assert response.status_code == 302
        appointment = Appointment.objects.get()
        assert appointment.status == "requested" and appointment.is_off_hours

    def test_outsider_cannot_book_here(self, client_as, outsider, group):
        client = client_as(outsider)
        assert client.get(reverse("workbench:appointment_book")).status_code == 404
        response = client.post(reverse("workbench:appointment_book"), self._data(group))
        assert response.status_code == 404 and not Appointment.objects.exists()

    def test_supervisor_reads_but_does_not_book(self, client_as, supervisor):
        assert client_as(supervisor).get(reverse("workbench:appointment_book")).status_code == 404


class TestDetail:
    def test_detail_and_cancel_by_staff(self, client_as, guide, group, outsider):
        booked = appointment_book(
            actor=None,
            group=group,
            date=next_workday(),
            starts=datetime.time(15, 0),
            name="详情",
            id_number=id_number(4),
            phone="13800000004",
            channel="portal",
            phone_code=phone_code("13800000004"),
        )
        url = reverse("workbench:appointment", kwargs={"appointment_id": booked.pk})
        client = client_as(guide)
        body = client.get(url).content.decode()
        assert booked.code in body and booked.phone in body
        assert booked.id_number in body  # its own page shows it in full, the view logged
        response = client.post(
            reverse("workbench:appointment_cancel", kwargs={"appointment_id": booked.pk}),
            {"reason": "申请人来电取消"},
        )
        assert response.status_code == 302
        booked.refresh_from_db()
        assert booked.status == "cancelled" and booked.cancel_reason == "申请人来电取消"
        assert client_as(outsider).get(url).status_code == 404
        assert (
            client_as(outsider)
            .post(reverse("workbench:appointment_cancel", kwargs={"appointment_id": booked.pk}))
            .status_code
            == 404
        )

    def test_cancel_too_late_shows_the_reason(self, client_as, guide, group):
        booked = book(group)  # 9 June 2026: long past
        response = client_as(guide).post(
            reverse("workbench:appointment_cancel", kwargs={"appointment_id": booked.pk}),
            follow=True,
        )
        booked.refresh_from_db()
        assert booked.status == "booked"
        assert "2026-06-09 06:30" in response.content.decode()


class TestRequests:
    def test_director_approves_with_htmx(
        self, client_as, director, clerk, group, django_capture_on_commit_callbacks
    ):
        request = off_hours(group)
        client = client_as(director)
        page = client.get(reverse("workbench:appointment_requests")).content.decode()
        assert request.code in page and 'id="request-' in page
        assert f'<option value="{clerk.pk}">' in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("workbench:appointment_approve", kwargs={"appointment_id": request.pk}),
                {"prefix": f"r{request.pk}", f"r{request.pk}-assigned_to": clerk.pk},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        assert f'id="request-{request.pk}"' in response.content.decode()
        request.refresh_from_db()
        assert request.status == "booked" and request.assigned_to == clerk
        assert request.overtime_minutes == 60
        assert OutboundMessage.objects.filter(purpose="appointment.decide").count() == 1
        # Issue 17 item 5: the message comes with the row, and a second click is a 409 message.
        assert 'hx-swap-oob="true"' in response.content.decode()
        assert "msg-success" in response.content.decode()
        again = client.post(
            reverse("workbench:appointment_approve", kwargs={"appointment_id": request.pk}),
            {"prefix": f"r{request.pk}", f"r{request.pk}-assigned_to": clerk.pk},
            HTTP_HX_REQUEST="true",
        )
        assert again.status_code == 409 and "msg-error" in again.content.decode()
        assert OutboundMessage.objects.filter(purpose="appointment.decide").count() == 1

    def test_decline_without_a_note_shows_why(self, client_as, director, group):
        request = off_hours(group)
        response = client_as(director).post(
            reverse("workbench:appointment_reject", kwargs={"appointment_id": request.pk}),
            {"prefix": f"r{request.pk}"},
            HTTP_HX_REQUEST="true",
        )
        assert 'role="alert"' in response.content.decode()
        request.refresh_from_db()
        assert request.status == "requested"

    def test_clerk_sees_no_decision_and_cannot_decide(self, client_as, clerk, group):
        request = off_hours(group)
        client = client_as(clerk)
        page = client.get(reverse("workbench:appointment_requests")).content.decode()
        assert request.code in page and "hx-post" not in page
        client.post(
            reverse("workbench:appointment_approve", kwargs={"appointment_id": request.pk}),
            {"prefix": f"r{request.pk}", f"r{request.pk}-assigned_to": clerk.pk},
        )
        request.refresh_from_db()
        assert request.status == "requested"

    def test_outsider_gets_404(self, client_as, outsider, group):
        request = off_hours(group)
        client = client_as(outsider)
        assert (
            request.code
            not in client.get(reverse("workbench:appointment_requests")).content.decode()
        )
        response = client.post(
            reverse("workbench:appointment_approve", kwargs={"appointment_id": request.pk}),
            {"prefix": f"r{request.pk}"},
        )
        assert response.status_code == 404


class TestOutage:
    def test_preview_then_confirm(
        self, client_as, director, group, county, django_capture_on_commit_callbacks
    ):
        day = next_workday()
        slots_ensure(group, day)
        appointment = appointment_book(
            actor=None,
            group=group,
            date=day,
            starts=datetime.time(9, 0),
            name="停电受影响",
            id_number=id_number(3),
            phone="13800000003",
            channel="portal",
            phone_code=phone_code("13800000003"),
        )
        client = client_as(director)
        data = {
            "center": county.pk,
            "start": f"{day.isoformat()}T08:30",
            "end": f"{day.isoformat()}T12:00",
            "reason": "停电",
        }
        preview = client.post(reverse("workbench:appointment_outage"), data)
        body = preview.content.decode()
        assert preview.status_code == 200 and 'data-total="1"' in body
        appointment.refresh_from_db()
        assert appointment.status == "booked"  # nothing changed yet
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(reverse("workbench:appointment_outage"), {**data, "confirm": "1"})
        assert 'id="outage-result"' in done.content.decode()
        appointment.refresh_from_db()
        assert appointment.status == "cancelled" and appointment.cancelled_by_hall
        assert appointment.rescheduled_to.status == "booked"
        assert OutboundMessage.objects.filter(purpose="appointment.outage").count() == 1

    def test_bad_range_is_refused_on_the_form(self, client_as, director, county):
        response = client_as(director).post(
            reverse("workbench:appointment_outage"),
            {
                "center": county.pk,
                "start": "2026-06-09T12:00",
                "end": "2026-06-09T08:00",
                "reason": "停电",
            },
        )
        assert response.status_code == 400 and "errorlist" in response.content.decode()

    def test_only_managers_of_the_center(self, client_as, clerk, outsider, county):
        assert client_as(clerk).get(reverse("workbench:appointment_outage")).status_code == 404
        response = client_as(outsider).post(
            reverse("workbench:appointment_outage"),
            {
                "center": county.pk,
                "start": "2026-06-09T08:00",
                "end": "2026-06-09T12:00",
                "reason": "停电",
                "confirm": "1",
            },
        )
        assert response.status_code == 400  # the county is not one of the outsider's centers
        assert not Slot.objects.exclude(closed_reason="").exists()


class TestRates:
    def test_rates_page(self, client_as, supervisor, group, outsider):
        book(group)
        off_hours(group)
        client = client_as(supervisor)
        response = client.get(
            reverse("workbench:appointment_rates"), {"first": "2026-06-01", "last": "2026-06-30"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        # 2 requests, 1 taken (the booking; the off-hours request is undecided).
        assert "50.0%" in body and 'id="rates-by-group"' in body
        body = (
            client_as(outsider)
            .get(
                reverse("workbench:appointment_rates"),
                {"first": "2026-06-01", "last": "2026-06-30"},
            )
            .content.decode()
        )
        assert "50.0%" not in body and "市场监管" not in body
