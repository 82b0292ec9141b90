"""Online hall accounts (issue 19 item 1): SMS codes, registration, verification and the link to
the applicant, sign-in with lockout, reset, agents, rate limits."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Applicant
from govhall.core.idnumbers import id_number_error, uscc_check_character
from govhall.core.models import Event, OutboundMessage
from govhall.core.ratelimit import RateLimited
from govhall.online.access.sessions import session_for_key
from govhall.online.events import OnlineEvent
from govhall.online.models import AccountKind, ApplicantAccount, SmsCode, SmsPurpose
from govhall.online.queries.accounts import agent_enterprises, enterprise_agents
from govhall.online.services.accounts import (
    account_applicant,
    account_login_password,
    account_login_sms,
    account_password_reset,
    account_register_enterprise,
    account_register_person,
    agent_add,
    agent_remove,
    session_act_for,
    sms_code_send,
    sms_code_send_for,
    wrong_login_message,
)
from govhall.online.services.sessions import session_start
from govhall.testing.online import PASSWORD, make_account, person_id, sms_code_sent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zhuce#2026good"
IP = "10.0.0.7"
Capture = Callable[..., AbstractContextManager[Any]]


def uscc(serial: int) -> str:
    first17 = f"91330100MA{serial:07d}"
    return first17 + uscc_check_character(first17)


@pytest.fixture
def send(django_capture_on_commit_callbacks: Capture) -> Iterator[Callable[..., str]]:
    """Send a code (SMS delivered) and return it as the phone received it."""

    def _send(phone: str, purpose: str = SmsPurpose.REGISTER, **kwargs: Any) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_send(phone=phone, purpose=purpose, client=kwargs.pop("client", IP), **kwargs)
        return sms_code_sent(phone)

    yield _send


def register(phone: str, code: str, **overrides: Any) -> ApplicantAccount:
    values: dict[str, Any] = {
        "phone": phone,
        "code": code,
        "name": "王小明",
        "id_number": person_id(501),
        "password": NEW_PASSWORD,
        "client": IP,
    }
    values.update(overrides)
    return account_register_person(**values)


def field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- codes ---------------------------------------------------------------------------------------


def test_a_code_is_six_random_digits_kept_only_as_a_hash(send: Callable[..., str]) -> None:
    code = send("13800000001")
    assert len(code) == 6 and code.isdigit()
    sms = SmsCode.objects.get(phone="13800000001")
    assert code not in sms.code_hash
    message = OutboundMessage.objects.get(to="13800000001")
    assert message.purpose == "online.sms_code"


def test_invalid_input_is_refused_field_by_field(send: Callable[..., str]) -> None:
    with pytest.raises(ValidationError) as bad_phone:
        sms_code_send(phone="12345", purpose=SmsPurpose.REGISTER, client=IP)
    assert "phone" in field_errors(bad_phone)
    code = send("13800000002")
    with pytest.raises(ValidationError) as bad:
        register("13800000002", code, id_number="110101199001011230", name="", password="12345678")
    errors = field_errors(bad)
    assert errors["id_number"] == [id_number_error("110101199001011230")]
    assert errors["name"] and errors["password"]
    with pytest.raises(ValidationError) as bad_uscc:
        account_register_enterprise(
            uscc="91330100MA0000001X",
            name="某某公司",
            legal_representative="赵六",
            phone="13800000002",
            code=code,
            password=NEW_PASSWORD,
            client=IP,
        )
    assert "uscc" in field_errors(bad_uscc)
    assert not ApplicantAccount.objects.exists()


def test_a_wrong_code_counts_attempts_and_five_wrong_ones_end_it(send: Callable[..., str]) -> None:
    code = send("13800000003")
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(settings.GOVHALL_ONLINE_SMS_CODE_ATTEMPTS):
        with pytest.raises(ValidationError) as refused:
            register("13800000003", wrong)
        assert field_errors(refused)["code"]
    assert SmsCode.objects.get(phone="13800000003").attempts == 5
    with pytest.raises(ValidationError) as used_up:
        register("13800000003", code)  # even the right one now
    assert field_errors(used_up)["code"] == [_("Too many wrong codes. Please get a new code.")]
    assert not ApplicantAccount.objects.exists()


def test_a_code_expires(send: Callable[..., str]) -> None:
    sent_at = timezone.now() - datetime.timedelta(
        minutes=settings.GOVHALL_ONLINE_SMS_CODE_MINUTES, seconds=1
    )
    code = send("13800000004", at=sent_at)
    with pytest.raises(ValidationError) as expired:
        register("13800000004", code)
    assert field_errors(expired)["code"]
    fresh = send("13800000004")
    assert register("13800000004", fresh).pk


def test_one_code_per_minute_per_phone_and_a_daily_cap(
    send: Callable[..., str], settings: Any
) -> None:
    start = timezone.now().replace(hour=12, minute=0)
    send("13800000005", at=start)
    with pytest.raises(RateLimited):
        send("13800000005", at=start + datetime.timedelta(seconds=30))
    settings.GOVHALL_ONLINE_SMS_PER_PHONE_DAY = 2
    send("13800000005", at=start + datetime.timedelta(seconds=61))
    with pytest.raises(RateLimited):
        send("13800000005", at=start + datetime.timedelta(seconds=200))


def test_codes_are_rate_limited_per_address(send: Callable[..., str], settings: Any) -> None:
    settings.GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR = 2
    send("13800000011", client="10.9.9.9")
    send("13800000012", client="10.9.9.9")
    with pytest.raises(RateLimited):
        send("13800000013", client="10.9.9.9")
    send("13800000013", client="10.9.9.8")


# --- registration, verification, linking --------------------------------------------------------


def test_registration_verifies_and_links_the_applicant_of_the_same_id_number(
    send: Callable[..., str],
) -> None:
    applicant = Applicant.objects.create(
        kind="person", name="王小明", id_number=person_id(501), phone="13700000000"
    )
    account = register("13800000006", send("13800000006"))
    assert account.verified_at is not None
    assert account.applicant == applicant
    assert account_applicant(account) == applicant
    assert check_password(NEW_PASSWORD, account.password)
    assert Event.objects.filter(action=OnlineEvent.ACCOUNT_REGISTER, object_id=str(account.pk))


def test_a_name_that_does_not_match_the_applicant_leaves_the_account_unverified(
    send: Callable[..., str],
) -> None:
    Applicant.objects.create(
        kind="person", name="王大明", id_number=person_id(501), phone="13700000000"
    )
    account = register("13800000007", send("13800000007"))
    assert account.verified_at is None and account.applicant is None
    assert account_applicant(account) is None


def test_a_verified_account_is_linked_when_its_first_case_makes_the_applicant(
    send: Callable[..., str],
) -> None:
    account = register("13800000008", send("13800000008"))
    assert account.verified_at is not None and account.applicant is None
    assert account_applicant(account) is None
    applicant = Applicant.objects.create(
        kind="person", name="王小明", id_number=person_id(501), phone="13800000008"
    )
    assert account_applicant(account) == applicant
    account.refresh_from_db()
    assert account.applicant == applicant


def test_duplicates_are_refused_without_showing_anyone_s_data(send: Callable[..., str]) -> None:
    owner = register("13800000009", send("13800000009"))
    with pytest.raises(ValidationError) as same_id:
        register("13800000010", send("13800000010"))
    message = " ".join(field_errors(same_id)["id_number"])
    assert owner.phone not in message and owner.name not in message
    assert "reset" in message or "重置" in message
    with pytest.raises(ValidationError) as same_phone:
        register(
            "13800000009",
            send("13800000009", at=timezone.now() + datetime.timedelta(minutes=2)),
            id_number=person_id(502),
        )
    assert field_errors(same_phone)["phone"]
    assert ApplicantAccount.objects.count() == 1


def test_an_enterprise_registers_with_its_uscc(send: Callable[..., str]) -> None:
    applicant = Applicant.objects.create(
        kind="enterprise", name="青山餐饮有限公司", id_number=uscc(1), phone="13700000001"
    )
    account = account_register_enterprise(
        uscc=uscc(1).lower(),
        name="青山餐饮有限公司",
        legal_representative="赵六",
        phone="13800000020",
        code=send("13800000020"),
        password=NEW_PASSWORD,
        client=IP,
    )
    assert account.kind == AccountKind.ENTERPRISE and account.id_number == uscc(1)
    assert account.applicant == applicant and account.verified_at is not None


# --- sign-in, lockout, reset -------------------------------------------------------------------


def test_password_sign_in_by_phone_or_id_number_and_one_message_for_unknown_and_wrong() -> None:
    account = make_account(phone="13800000030")
    session, key = account_login_password(login="13800000030", password=PASSWORD, client=IP)
    assert session.account == account and session_for_key(key) == session
    _session, _key = account_login_password(login=account.id_number, password=PASSWORD, client=IP)
    with pytest.raises(ValidationError) as unknown:
        account_login_password(login="13800000031", password=PASSWORD, client=IP)
    with pytest.raises(ValidationError) as wrong:
        account_login_password(login="13800000030", password="wrong-Pass-1", client=IP)
    assert unknown.value.messages == wrong.value.messages == [wrong_login_message()]


def test_five_failures_lock_the_account_for_thirty_minutes_then_it_opens() -> None:
    account = make_account(phone="13800000032")
    now = timezone.now()
    for _attempt in range(settings.GOVHALL_ONLINE_LOGIN_FAILURES):
        with pytest.raises(ValidationError):
            account_login_password(login="13800000032", password="wrong-Pass-1", client=IP, at=now)
    account.refresh_from_db()
    assert account.locked_until == now + datetime.timedelta(
        minutes=settings.GOVHALL_ONLINE_LOCK_MINUTES
    )
    assert Event.objects.filter(action=OnlineEvent.ACCOUNT_LOCK, object_id=str(account.pk))
    with pytest.raises(ValidationError) as locked:
        account_login_password(login="13800000032", password=PASSWORD, client=IP, at=now)
    assert locked.value.messages != [wrong_login_message()]
    later = now + datetime.timedelta(minutes=settings.GOVHALL_ONLINE_LOCK_MINUTES, seconds=1)
    session, _key = account_login_password(
        login="13800000032", password=PASSWORD, client=IP, at=later
    )
    account.refresh_from_db()
    assert session.pk and account.failed_logins == 0 and account.locked_until is None


def test_sign_in_attempts_are_rate_limited_per_address(settings: Any) -> None:
    settings.GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR = 3
    make_account(phone="13800000033")
    for _attempt in range(3):
        with pytest.raises(ValidationError):
            account_login_password(login="13800000034", password="x", client="10.1.1.1")
    with pytest.raises(RateLimited):
        account_login_password(login="13800000033", password=PASSWORD, client="10.1.1.1")


def test_sms_sign_in_sends_to_the_account_s_phone_and_nothing_for_strangers(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    account = make_account(phone="13800000035")
    with django_capture_on_commit_callbacks(execute=True):
        assert sms_code_send_for(login="13800000099", purpose=SmsPurpose.LOGIN, client=IP) is None
        sms_code_send_for(login=account.id_number, purpose=SmsPurpose.LOGIN, client=IP)
    assert not OutboundMessage.objects.filter(to="13800000099").exists()
    session, _key = account_login_sms(
        login="13800000035", code=sms_code_sent("13800000035"), client=IP
    )
    assert session.account == account


def test_a_reset_sets_the_password_unlocks_and_ends_every_session(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    account = make_account(phone="13800000036")
    _one, key_one = session_start(account=account)
    _two, key_two = session_start(account=account)
    ApplicantAccount.objects.filter(pk=account.pk).update(
        failed_logins=5, locked_until=timezone.now() + datetime.timedelta(minutes=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send_for(login="13800000036", purpose=SmsPurpose.RESET, client=IP)
    account_password_reset(
        login="13800000036", code=sms_code_sent("13800000036"), password=NEW_PASSWORD, client=IP
    )
    assert session_for_key(key_one) is None and session_for_key(key_two) is None
    session, _key = account_login_password(login="13800000036", password=NEW_PASSWORD, client=IP)
    assert session.pk


# --- agents ---------------------------------------------------------------------------------------


def test_an_enterprise_adds_and_removes_an_agent_who_may_act_for_it() -> None:
    enterprise = make_account(
        name="青山餐饮有限公司", kind=AccountKind.ENTERPRISE, id_number=uscc(2)
    )
    agent = make_account(name="李四", phone="13800000040")
    with pytest.raises(ValidationError):
        agent_add(enterprise=enterprise, phone="13800000040", name="李五")  # name must match
    with pytest.raises(ValidationError):
        agent_add(enterprise=agent, phone="13800000040", name="李四")  # a citizen has none
    link = agent_add(enterprise=enterprise, phone="13800000040", name="李四")
    assert list(enterprise_agents(enterprise)) == [link]
    assert list(agent_enterprises(agent)) == [enterprise]
    session, _key = session_start(account=agent)
    session_act_for(session=session, enterprise=enterprise)
    session.refresh_from_db()
    assert session.acting_for == enterprise
    agent_remove(enterprise=enterprise, agent_id=link.pk)
    session.refresh_from_db()
    assert session.acting_for is None
    with pytest.raises(ValidationError):
        session_act_for(session=session, enterprise=enterprise)
    assert not agent_enterprises(agent).exists()
