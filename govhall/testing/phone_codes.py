"""Reading the SMS code of a public booking in tests, like the applicant reads the SMS: the code
is stored hashed, so it is taken from the text of the last code SMS in the outbox."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from govhall.core.idnumbers import normalize
from govhall.core.models import OutboundMessage
from govhall.frontdesk.models import PhoneCode
from govhall.frontdesk.services.phone_codes import PURPOSE, phone_code_send

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def sms_code(phone: str) -> str:
    """The code in the last code SMS sent to `phone`."""
    message = (
        OutboundMessage.objects.filter(purpose=PURPOSE, to=normalize(phone))
        .order_by("-created_at", "-id")
        .first()
    )
    assert message is not None, f"no code SMS to {phone}"
    found = CODE.search(message.text)
    assert found is not None, message.text
    return found.group(1)


def phone_code(phone: str, *, at: datetime.datetime | None = None) -> str:
    """A valid code for `phone` at `at`: the last one sent while it is still usable, else a
    new one sent through the service (from an address of its own, so tests that book many
    people never meet the per-address limit)."""
    now = at or timezone.now()
    latest = PhoneCode.objects.filter(phone=normalize(phone)).order_by("-created_at", "-id").first()
    if (
        latest is not None
        and latest.used_at is None
        and latest.expires_at > now
        and latest.tries < settings.GOVHALL_PHONE_CODE_MAX_TRIES
    ):
        return sms_code(phone)
    with TestCase.captureOnCommitCallbacks(execute=True):
        phone_code_send(phone=phone, client=f"test:{phone}", at=now)
    return sms_code(phone)
