"""The online hall's account pages (issue 19 item 1): register, sign in and out, the account
page, agents, sessions apart from staff sessions, CSRF and rate limits; one phone browser run."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from govhall.core.models import User
from govhall.online.models import AccountKind, AccountSession, ApplicantAccount
from govhall.online.services.accounts import agent_add, wrong_login_message
from govhall.portal.online.session import acting_applicant
from govhall.testing.online import PASSWORD, make_account, person_id, sign_in_online, sms_code_sent

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]
NEW_PASSWORD = "Zhuce#2026good"
LOGIN = reverse("portal:online_login")
ACCOUNT = reverse("portal:online_account")


def test_register_then_sign_in_then_out(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    register = reverse("portal:online_register")
    page = client.get(register)
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(register, {"phone": "13800000101", "send_code": "1"})
    assert sent.status_code == 200 and b'id="code-sent"' in sent.content
    form = {
        "phone": "13800000101",
        "code": sms_code_sent("13800000101"),
        "name": "周一",
        "id_number": person_id(601),
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "register": "1",
    }
    bad = client.post(register, {**form, "id_number": "110101199001011230"})
    assert bad.status_code == 400 and "id_number" in bad.context["form"].errors
    done = client.post(register, form)
    assert done.status_code == 302 and done["Location"].startswith(LOGIN)
    account = ApplicantAccount.objects.get(phone="13800000101")

    wrong = client.post(LOGIN, {"mode": "password", "login": "13800000101", "password": "x"})
    assert wrong.status_code == 400
    assert wrong_login_message() in wrong.content.decode()
    signed = client.post(
        LOGIN, {"mode": "password", "login": "13800000101", "password": NEW_PASSWORD}
    )
    assert signed.status_code == 302
    assert settings.GOVHALL_ONLINE_COOKIE_NAME in signed.cookies
    mine = client.get(ACCOUNT)
    text = mine.content.decode()
    assert mine.status_code == 200 and "周一" in text
    assert account.id_number not in text and "13800000101" not in text  # masked
    assert 'id="nav-my"' in client.get(reverse("portal:guides")).content.decode()

    out = client.post(reverse("portal:online_logout"))
    assert out.status_code == 302
    assert client.get(ACCOUNT).status_code == 302
    assert not AccountSession.objects.filter(account=account, ended_at__isnull=True).exists()


def test_sign_in_goes_back_to_next_but_never_off_site(client: Client) -> None:
    make_account(phone="13800000102")
    form = {"mode": "password", "login": "13800000102", "password": PASSWORD}
    back = client.post(LOGIN, {**form, "next": ACCOUNT})
    assert back["Location"] == ACCOUNT
    away = client.post(LOGIN, {**form, "next": "https://evil.example/"})
    assert not away["Location"].startswith("https://evil")


def test_lockout_shows_on_the_sign_in_page(client: Client) -> None:
    make_account(phone="13800000103")
    for _attempt in range(settings.GOVHALL_ONLINE_LOGIN_FAILURES):
        client.post(LOGIN, {"mode": "password", "login": "13800000103", "password": "bad-Pass1"})
    right = client.post(LOGIN, {"mode": "password", "login": "13800000103", "password": PASSWORD})
    assert right.status_code == 400 and b'id="login-refused"' in right.content
    assert settings.GOVHALL_ONLINE_COOKIE_NAME not in right.cookies


def test_sign_in_pages_answer_429_when_rate_limited(client: Client, settings: Any) -> None:
    settings.GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR = 1
    form = {"mode": "password", "login": "13800000104", "password": "bad-Pass1"}
    assert client.post(LOGIN, form).status_code == 400
    assert client.post(LOGIN, form).status_code == 429


def test_forms_need_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    make_account(phone="13800000105")
    answer = strict.post(LOGIN, {"mode": "password", "login": "13800000105", "password": PASSWORD})
    assert answer.status_code == 403


def test_online_and_staff_sign_ins_stay_apart(
    client: Client, client_as: Callable[[User], Client], clerk: User
) -> None:
    account = make_account()
    sign_in_online(client, account)
    assert client.get(ACCOUNT).status_code == 200
    staff_home = client.get("/staff/")
    assert staff_home.status_code == 302 and "login" in staff_home["Location"]
    assert "_auth_user_id" not in client.session

    staff = client_as(clerk)
    staff.cookies.pop(settings.GOVHALL_ONLINE_COOKIE_NAME, None)
    assert staff.get("/staff/").status_code == 200
    assert staff.get(ACCOUNT).status_code == 302


def test_sign_out_other_devices(client: Client) -> None:
    account = make_account()
    other = Client()
    sign_in_online(other, account)
    sign_in_online(client, account)
    assert client.post(reverse("portal:online_end_others")).status_code == 302
    assert other.get(ACCOUNT).status_code == 302
    assert client.get(ACCOUNT).status_code == 200


def test_an_enterprise_adds_an_agent_who_acts_for_it(client: Client) -> None:
    enterprise = make_account(name="青山餐饮有限公司", kind=AccountKind.ENTERPRISE)
    agent = make_account(name="李四", phone="13800000106")
    sign_in_online(client, enterprise)
    refused = client.post(
        reverse("portal:online_agent_add"), {"phone": "13800000106", "name": "李五"}
    )
    assert refused.status_code == 400
    added = client.post(
        reverse("portal:online_agent_add"), {"phone": "13800000106", "name": "李四"}
    )
    assert added.status_code == 302
    assert "李四" in client.get(ACCOUNT).content.decode()

    agent_client = Client()
    session = sign_in_online(agent_client, agent)
    page = agent_client.get(ACCOUNT)
    assert f'id="act-for-{enterprise.pk}"'.encode() in page.content
    agent_client.post(reverse("portal:online_act_for"), {"enterprise": str(enterprise.pk)})
    session.refresh_from_db()
    assert session.acting_for == enterprise
    page = agent_client.get(ACCOUNT)
    assert acting_applicant(page.wsgi_request) == enterprise
    assert b'id="acting-for"' in page.content
    stranger = make_account(name="王五", kind=AccountKind.ENTERPRISE)
    assert (
        agent_client.post(
            reverse("portal:online_act_for"), {"enterprise": str(stranger.pk)}
        ).status_code
        == 404
    )


def test_a_citizen_has_no_agents_page(client: Client) -> None:
    person = make_account()
    other = make_account(phone="13800000107", name="赵六")
    sign_in_online(client, person)
    assert (
        client.post(
            reverse("portal:online_agent_add"), {"phone": "13800000107", "name": "赵六"}
        ).status_code
        == 404
    )
    enterprise = make_account(name="某公司", kind=AccountKind.ENTERPRISE)
    agent_add(enterprise=enterprise, phone=other.phone, name="赵六")
    link = enterprise.agents.get()
    assert client.post(reverse("portal:online_agent_remove", args=[link.pk])).status_code == 404


def test_a_citizen_registers_and_signs_in_on_a_phone(phone_page: Any) -> None:
    page = phone_page
    page.goto(page.base_url + reverse("portal:home"))
    page.click("#nav-register")
    page.fill("#id_phone", "13800000108")
    page.click("#send-code")
    page.wait_for_selector("#code-sent")
    page.fill("#id_code", sms_code_sent("13800000108"))
    page.fill("#id_name", "钱七")
    page.fill("#id_id_number", person_id(602))
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.click("#register-submit")
    page.wait_for_selector("#login-form")
    page.fill("#id_login", "13800000108")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#nav-my")
    assert "钱七" in page.inner_text("#portal-account")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_public_pages_drawn_for_a_signed_in_applicant_are_not_shared_cached(
    client: Client,
) -> None:
    assert "public" in client.get(reverse("portal:on_time"))["Cache-Control"]
    sign_in_online(client, make_account(name="孙八"))
    page = client.get(reverse("portal:on_time"))
    assert "孙八" in page.content.decode()
    assert "public" not in page["Cache-Control"] and "private" in page["Cache-Control"]
