"""My page's reads (issue 19 item 3): whose cases, appointments, tickets and messages, fixed
query counts with growing data, reminders and the idempotent reminder SMS task."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govhall.cases.models import Case, CaseMaterial, ElectronicLicence
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import OutboundMessage
from govhall.frontdesk.models import AppointmentStatus
from govhall.online.models import AccountMessage, ApplicantAccount, OnlineApplication
from govhall.online.purposes import OnlinePurpose
from govhall.online.queries import my_page
from govhall.online.services.my_page import account_message_read, my_appointment_cancel
from govhall.online.services.reminders import my_reminders_send
from govhall.online.tasks import send_my_reminders
from govhall.org.models import Center, Department
from govhall.testing.factories import ServiceItemFactory
from govhall.testing.my_page import appointment, case_of, group_of, link, ticket
from govhall.testing.online import make_account


@pytest.fixture
def item(county: Center, department: Department) -> ServiceItem:
    return ServiceItemFactory(center=county, department=department, name="食品经营许可")


def queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_cases_are_the_applicants_own_and_verified_only(item: ServiceItem, db: None) -> None:
    me = make_account(name="张三")
    other = make_account(name="李四")
    mine = case_of(link(me), item)
    case_of(link(other), item)
    assert [row.case for row in my_page.my_cases(me, today=timezone.localdate())] == [mine]
    # An account not verified yet does not see the cases of its ID number.
    ApplicantAccount.objects.filter(pk=me.pk).update(verified_at=None)
    me.refresh_from_db()
    assert my_page.my_cases(me, today=timezone.localdate()) == []


def test_my_cases_show_progress_and_the_next_step(item: ServiceItem, db: None) -> None:
    me = make_account()
    applicant = link(me)
    waiting = case_of(applicant, item, status=CaseStatus.AWAITING_SUPPLEMENT)
    ready = case_of(applicant, item, status=CaseStatus.CERTIFICATE_READY, delivery_method="pickup")
    rows = {row.case.pk: row for row in my_page.my_cases(me, today=timezone.localdate())}
    assert rows[waiting.pk].next_step == my_page.NextStep.SUPPLEMENT
    assert rows[ready.pk].next_step == my_page.NextStep.PICKUP
    assert len(rows[waiting.pk].progress.steps) == 1  # the public progress steps


def test_every_section_is_a_fixed_number_of_queries(
    item: ServiceItem, county: Center, department: Department, db: None
) -> None:
    me = make_account()
    applicant = link(me)
    group = group_of(county, department)
    today = timezone.localdate()

    def add_some() -> None:
        case = case_of(applicant, item, status=CaseStatus.AWAITING_SUPPLEMENT)
        ElectronicLicence.objects.create(
            case=case,
            holder=applicant,
            item=item,
            department=item.department,
            name="食品经营许可证",
            number=f"JY{case.pk:08d}",
            identifier=f"ID{case.pk:08d}",
            verify_token=f"v{case.pk:030d}",
            valid_from=today,
            valid_until=today + datetime.timedelta(days=10),
            issued_at=timezone.now(),
        )
        appointment(group, me.id_number, days=Case.objects.count())
        ticket(group, phone=me.phone)
        ticket(group, phone="13700000000")
        AccountMessage.objects.create(account=me, created_at=timezone.now(), title="受理通知")
        OnlineApplication.objects.create(account=me, item=item)

    def read_all() -> None:
        my_page.my_cases(me, today=today)
        my_page.my_drafts(me)
        my_page.my_appointments(me)
        my_page.my_tickets_today(me, today=today)
        my_page.my_messages(me)
        my_page.my_licences(me, today=today)
        my_page.unread_count(me)
        my_page.my_reminders(me, today=today)
        my_page.reminders_due(today)

    add_some()
    read_all()  # warm the calendar cache
    few = queries(read_all)
    for _ in range(4):
        add_some()
    assert queries(read_all) == few
    assert len(my_page.my_cases(me, today=today)) == 5
    assert len(my_page.my_reminders(me, today=today)) == 10
    licences = my_page.my_licences(me, today=today)
    assert len(licences) == 5 and {row.state for row in licences} == {"valid"}


def test_licences_are_the_verified_holders_own_with_their_state(
    item: ServiceItem, db: None
) -> None:
    me = make_account()
    other = make_account(name="李四")
    mine = case_of(link(me), item)
    theirs = case_of(link(other), item)
    today = timezone.localdate()
    for case, valid_until in ((mine, today - datetime.timedelta(days=1)), (theirs, None)):
        ElectronicLicence.objects.create(
            case=case,
            holder=case.applicant,
            item=item,
            department=item.department,
            name="食品经营许可证",
            number=f"JY{case.pk:08d}",
            identifier=f"ID{case.pk:08d}",
            verify_token=f"v{case.pk:030d}",
            valid_from=today - datetime.timedelta(days=30),
            valid_until=valid_until,
            issued_at=timezone.now(),
        )
    rows = my_page.my_licences(me, today=today)
    assert [(row.licence.case_id, row.state) for row in rows] == [(mine.pk, "expired")]
    ApplicantAccount.objects.filter(pk=me.pk).update(verified_at=None)
    me.refresh_from_db()
    assert my_page.my_licences(me, today=today) == []


def test_tickets_of_today_with_people_ahead(
    county: Center, department: Department, db: None
) -> None:
    me = make_account()
    group = group_of(county, department)
    ticket(group, phone="13700000001", minutes=1)
    ticket(group, phone="13700000002", minutes=2)
    mine = ticket(group, phone=me.phone, minutes=3)
    ticket(group, phone="13700000003", minutes=4)
    rows = my_page.my_tickets_today(me, today=timezone.localdate())
    assert [t.pk for t in rows] == [mine.pk]
    assert rows[0].ahead_now == 2


def test_appointments_by_verified_id_and_cancel(
    county: Center, department: Department, db: None
) -> None:
    me = make_account()
    group = group_of(county, department)
    mine = appointment(group, me.id_number)
    appointment(group, "110101199001010000")
    rows = my_page.my_appointments(me)
    assert [row.appointment.pk for row in rows] == [mine.pk]
    assert rows[0].cancellable
    my_appointment_cancel(account=me, appointment=mine)
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.CANCELLED
    assert my_page.my_appointments(me) == []


def test_reading_a_message_lowers_the_unread_count(db: None) -> None:
    me = make_account()
    message = AccountMessage.objects.create(account=me, created_at=timezone.now(), title="受理")
    assert my_page.unread_count(me) == 1
    account_message_read(account=me, message=message)
    assert my_page.unread_count(me) == 0
    assert AccountMessage.objects.get(pk=message.pk).read_at is not None


def test_reminders_supplement_pending_and_expiring_licence(
    item: ServiceItem, db: None, settings: Any
) -> None:
    settings.GOVHALL_LICENCE_EXPIRY_REMINDER_DAYS = 30
    me = make_account()
    applicant = link(me)
    today = timezone.localdate()
    case_of(applicant, item, status=CaseStatus.AWAITING_SUPPLEMENT)
    green = case_of(
        applicant,
        item,
        status=CaseStatus.ACCEPTED,
        green_channel=True,
        pending_due_on=today + datetime.timedelta(days=5),
    )
    CaseMaterial.objects.create(case=green, name="卫生许可", pending=True, received=False)
    delivered = case_of(applicant, item, status=CaseStatus.DELIVERED)
    for days, pk_case in ((20, delivered), (45, case_of(applicant, item, status="delivered"))):
        ElectronicLicence.objects.create(
            case=pk_case,
            holder=applicant,
            item=item,
            department=item.department,
            name="食品经营许可证",
            number=f"JY{days}",
            identifier=f"ID{days}",
            verify_token=f"tok{days}",
            valid_from=today,
            valid_until=today + datetime.timedelta(days=days),
            issued_at=timezone.now(),
        )
    kinds = sorted(r.kind for r in my_page.my_reminders(me, today=today))
    assert kinds == ["licence", "pending", "supplement"]
    # Another applicant sees none of them.
    assert my_page.my_reminders(make_account(), today=today) == []


def test_reminder_sms_task_is_idempotent(item: ServiceItem, db: None, settings: Any) -> None:
    settings.GOVHALL_MY_REMINDER_SMS_EVERY_DAYS = 1
    me = make_account()
    case_of(link(me), item, status=CaseStatus.AWAITING_SUPPLEMENT)
    today = timezone.localdate()
    assert my_reminders_send(today=today) == 1
    assert my_reminders_send(today=today) == 0
    assert send_my_reminders.apply().get() == 0
    sms = OutboundMessage.objects.get(purpose=OnlinePurpose.REMIND_SUPPLEMENT)
    assert sms.to == me.phone
    assert "online-reminders" in settings.CELERY_BEAT_SCHEDULE
    # Next day: one more.
    OutboundMessage.objects.filter(pk=sms.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert my_reminders_send(today=today) == 1
