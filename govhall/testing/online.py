"""Online hall accounts for tests (issue 19): make one, sign a test client in with it."""

from __future__ import annotations

import itertools
import re

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.core.models import OutboundMessage
from govhall.online.models import AccountKind, AccountSession, ApplicantAccount
from govhall.online.services.sessions import session_start

PASSWORD = "Online-2026-pass"
_serial = itertools.count(1)


def person_id(serial: int) -> str:
    """A valid resident ID number (GB 11643) distinct per serial."""
    first17 = f"11010119900101{serial % 1000:03d}"
    return first17 + id_check_character(first17)


def make_account(
    *,
    name: str = "张三",
    phone: str | None = None,
    id_number: str | None = None,
    kind: str = AccountKind.PERSON,
    verified: bool = True,
    password: str = PASSWORD,
) -> ApplicantAccount:
    serial = next(_serial)
    return ApplicantAccount.objects.create(
        kind=kind,
        name=name,
        phone=phone or f"139{serial:08d}",
        id_number=id_number or person_id(serial),
        password=make_password(password),
        verified_at=timezone.now() if verified else None,
    )


def sign_in_online(client: Client, account: ApplicantAccount) -> AccountSession:
    """Sign `client` in to the online hall as `account` (the cookie the sign-in page sets)."""
    session, raw_key = session_start(account=account)
    client.cookies[settings.GOVHALL_ONLINE_COOKIE_NAME] = raw_key
    return session


def sms_code_sent(phone: str) -> str:
    """The 6-digit code of the latest SMS sent to `phone` (from the outbox)."""
    message = OutboundMessage.objects.filter(channel="sms", to=phone).order_by("-id").first()
    assert message is not None, f"no SMS to {phone}"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.text)
    assert found is not None, message.text
    return found.group(1)
