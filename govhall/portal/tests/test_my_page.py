"""My page of the online hall (我的办件, issue 19 item 3): sign-in required, the applicant's own
cases, appointments, tickets, feedback and messages with what to do next, 404 for another
applicant's objects, and one phone-width browser test."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Applicant, ElectronicLicence
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.frontdesk.models import AppointmentStatus
from govhall.online.models import AccountMessage
from govhall.org.models import Center, Department
from govhall.testing.complaints import COMPLAINANT, make_complaint
from govhall.testing.factories import ServiceItemFactory
from govhall.testing.my_page import appointment, case_of, group_of, link, ticket
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.ratings import make_rating


@pytest.fixture
def item(county: Center, department: Department) -> ServiceItem:
    return ServiceItemFactory(center=county, department=department, name="食品经营许可")


def test_my_page_needs_a_signed_in_applicant(client: Client, db: None) -> None:
    response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302
    assert reverse("portal:online_login") in response["Location"]


def test_my_page_shows_my_affairs_and_what_to_do(
    client: Client,
    item: ServiceItem,
    county: Center,
    department: Department,
    supervisor: User,
) -> None:
    me = make_account(name="张三", phone=COMPLAINANT["complainant_phone"])
    applicant = link(me)
    waiting = case_of(applicant, item, status=CaseStatus.AWAITING_SUPPLEMENT)
    delivered = case_of(applicant, item, status=CaseStatus.DELIVERED, delivered_at=timezone.now())
    rated = case_of(applicant, item, status=CaseStatus.DELIVERED, delivered_at=timezone.now())
    make_rating(rated, level=5)
    other = make_account(name="李四")
    theirs = case_of(link(other), item)
    group = group_of(county, department)
    booked = appointment(group, me.id_number)
    ticket(group, phone="13700000001", minutes=1)
    mine_ticket = ticket(group, phone=me.phone, minutes=2)
    complaint = make_complaint(supervisor, county)
    AccountMessage.objects.create(account=me, created_at=timezone.now(), title="补正通知")
    sign_in_online(client, me)

    page = client.get(reverse("portal:my_home")).content.decode()

    assert waiting.number in page and delivered.number in page
    assert theirs.number not in page
    assert 'data-next="supplement"' in page
    assert reverse("portal:my_case", args=[waiting.pk]) in page
    # The delivered case not rated yet offers the rating; the rated one shows its rating.
    assert page.count("?via=my_page") == 1
    assert 'data-rating="' in page
    assert booked.code in page
    assert reverse("portal:my_appointment_cancel", args=[booked.pk]) in page
    assert f'data-ticket="{mine_ticket.number}"' in page and 'data-ahead="1"' in page
    assert f'data-complaint="{complaint.number}"' in page
    assert "补正通知" in page
    assert 'id="my-unread-badge"' in page  # the header badge
    assert 'data-kind="supplement"' in page  # the reminder


def test_case_page_shows_the_steps(client: Client, item: ServiceItem) -> None:
    me = make_account()
    case = case_of(link(me), item, status=CaseStatus.ACCEPTED)
    sign_in_online(client, me)
    response = client.get(reverse("portal:my_case", args=[case.pk]))
    assert response.status_code == 200
    assert 'id="my-case-steps"' in response.content.decode()


def test_another_account_gets_404_on_every_object(
    client: Client, item: ServiceItem, county: Center, department: Department
) -> None:
    owner = make_account(name="张三")
    case = case_of(link(owner), item)
    message = AccountMessage.objects.create(account=owner, created_at=timezone.now(), title="x")
    booked = appointment(group_of(county, department), owner.id_number)
    intruder = make_account(name="李四")
    sign_in_online(client, intruder)
    assert client.get(reverse("portal:my_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("portal:my_message", args=[message.pk])).status_code == 404
    cancel = reverse("portal:my_appointment_cancel", args=[booked.pk])
    assert client.post(cancel).status_code == 404
    assert client.get(reverse("portal:my_case", args=[999999])).status_code == 404
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert AccountMessage.objects.get(pk=message.pk).read_at is None
    page = client.get(reverse("portal:my_home")).content.decode()
    assert case.number not in page and booked.code not in page


def test_open_message_marks_it_read_and_cancel_appointment(
    client: Client, county: Center, department: Department, db: None
) -> None:
    me = make_account()
    message = AccountMessage.objects.create(account=me, created_at=timezone.now(), title="受理")
    booked = appointment(group_of(county, department), me.id_number)
    sign_in_online(client, me)
    assert client.get(reverse("portal:my_message", args=[message.pk])).status_code == 200
    assert AccountMessage.objects.get(pk=message.pk).read_at is not None
    assert 'id="my-unread-badge"' not in client.get(reverse("portal:my_home")).content.decode()
    response = client.post(reverse("portal:my_appointment_cancel", args=[booked.pk]))
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_my_page_on_a_phone(phone_page: Any, item: ServiceItem) -> None:
    me = make_account(name="张三")
    case = case_of(link(me), item, status=CaseStatus.AWAITING_SUPPLEMENT)
    message = AccountMessage.objects.create(
        account=me, created_at=timezone.now(), title="补正通知", text="请补交营业执照。", case=case
    )
    session_client = Client()
    sign_in_online(session_client, me)
    raw_key = session_client.cookies[settings.GOVHALL_ONLINE_COOKIE_NAME].value
    base = phone_page.base_url
    phone_page.context.add_cookies(
        [{"name": settings.GOVHALL_ONLINE_COOKIE_NAME, "value": raw_key, "url": base}]
    )
    phone_page.goto(base + reverse("portal:my_home"))
    card = phone_page.locator(f'[data-case="{case.number}"]')
    assert card.is_visible()
    assert card.locator(".next-step").get_attribute("data-next") == "supplement"
    assert phone_page.locator("#my-unread-badge").inner_text() == "1"
    # Nothing wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.locator(f'[data-message="{message.pk}"] a').first.click()
    phone_page.wait_for_selector("#my-message")
    assert "请补交营业执照" in phone_page.inner_text("#my-message")
    assert phone_page.locator("#my-unread-badge").count() == 0


def test_an_agent_acting_for_an_enterprise_sees_the_enterprises_cases(
    client: Client, item: ServiceItem
) -> None:
    agent = make_account(name="王五")
    own = case_of(link(agent), item)
    enterprise = make_account(name="示例商贸有限公司", kind="enterprise", phone="13900009999")
    theirs = case_of(link(enterprise), item)
    session = sign_in_online(client, agent)
    session.acting_for = enterprise
    session.save(update_fields=["acting_for"])
    page = client.get(reverse("portal:my_home")).content.decode()
    assert theirs.number in page and own.number not in page
    assert client.get(reverse("portal:my_case", args=[own.pk])).status_code == 404


def test_my_licences_are_listed_and_downloaded_by_their_holder_only(
    client: Client, item: ServiceItem
) -> None:
    owner = make_account(name="张三")
    case = case_of(link(owner), item)
    today = timezone.localdate()
    licence = ElectronicLicence.objects.create(
        case=case,
        holder=case.applicant,
        item=item,
        department=item.department,
        name="食品经营许可证",
        number="JY-2026-00001",
        identifier="ID-2026-00001",
        verify_token="t" * 30,
        valid_from=today,
        issued_at=timezone.now(),
    )
    pdf = reverse("portal:my_licence_pdf", args=[licence.pk])
    sign_in_online(client, owner)
    page = client.get(reverse("portal:my_home")).content.decode()
    assert "JY-2026-00001" in page and pdf in page
    response = client.get(pdf)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.cookies.clear()
    sign_in_online(client, make_account(name="李四"))
    assert client.get(pdf).status_code == 404
    assert "JY-2026-00001" not in client.get(reverse("portal:my_home")).content.decode()


def test_an_account_verified_before_its_first_case_sees_that_cases_licence(
    client: Client, item: ServiceItem
) -> None:
    """Registered (and verified) before any case of its number existed, the account is linked
    to the applicant its first case made when it opens My page: the licence shows."""
    owner = make_account(name="李小梅")
    assert owner.applicant_id is None
    applicant = Applicant.objects.create(
        kind="person", name=owner.name, id_number=owner.id_number, phone=owner.phone
    )
    case = case_of(applicant, item)
    licence = ElectronicLicence.objects.create(
        case=case,
        holder=applicant,
        item=item,
        department=item.department,
        name="食品经营许可证",
        number="JY-2026-00002",
        identifier="ID-2026-00002",
        verify_token="u" * 30,
        valid_from=timezone.localdate(),
        issued_at=timezone.now(),
    )
    sign_in_online(client, owner)
    page = client.get(reverse("portal:my_home")).content.decode()
    assert "JY-2026-00002" in page and case.number in page
    assert client.get(reverse("portal:my_licence_pdf", args=[licence.pk])).status_code == 200
    owner.refresh_from_db()
    assert owner.applicant_id == applicant.pk
