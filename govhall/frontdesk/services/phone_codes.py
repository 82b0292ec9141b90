"""SMS codes confirming the phone of a public booking (issue 12 item 3).

A citizen asks for a code (`phone_code_send`), reads it in the SMS and gives it with the
booking or the off-hours request; the booking holds no place without a valid one, so nobody
books under another person's name without that person's phone. Staff bookings need no code.

- The code is 6 random digits; only a keyed hash is stored, valid GOVHALL_PHONE_CODE_MINUTES.
- Sending is limited per phone and per client address (GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR,
  GOVHALL_RATE_PHONE_CODE_PER_ADDRESS_HOUR), so nobody floods a stranger's phone.
- Every check of a code counts one try, raised atomically and never past
  GOVHALL_PHONE_CODE_MAX_TRIES (so at most that many guesses per code, even in parallel).
  Checks run outside the booking's transaction (`phone_code_check`), so a wrong try stays
  counted when the booking is refused; the booking then consumes the code inside its own
  transaction (`phone_code_consume`), so a booking refused for another reason (slot full)
  leaves the code usable for another slot.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.notify import send_sms
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import PhoneCode

CODE_DIGITS = 6
PURPOSE = "appointment.phone_code"


def _hash(phone: str, code: str) -> str:
    message = f"phone-code:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def phone_code_send(*, phone: str, client: str, at: datetime.datetime | None = None) -> PhoneCode:
    """Send a new code by SMS to `phone` (the latest code of a phone is the one that counts).
    ValidationError for a malformed phone; RateLimited when the phone or the address asked
    too often."""
    now = at or timezone.now()
    phone = idnumbers.normalize(phone)
    error = idnumbers.phone_error(phone)
    if error:
        raise ValidationError({"phone": [error]})
    rate_limit(
        [
            RateRule(
                rate_key("phone_code.phone", phone),
                settings.GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR,
                HOUR,
                _(
                    "Too many codes were sent to this phone. Please wait and try again later, "
                    "or book by phone or at the hall."
                ),
            ),
            RateRule(
                rate_key("phone_code.address", client or "unknown"),
                settings.GOVHALL_RATE_PHONE_CODE_PER_ADDRESS_HOUR,
                HOUR,
                _("Too many codes were asked from your network. Please try again later."),
            ),
        ],
        at=now,
    )
    row, _code = phone_code_issue(phone=phone, at=now)
    return row


@transaction.atomic
def phone_code_issue(*, phone: str, at: datetime.datetime | None = None) -> tuple[PhoneCode, str]:
    """Make a new code for `phone` and SMS it (after commit); returns it. No rate limit:
    the public door is `phone_code_send` (the demo loader calls this directly)."""
    now = at or timezone.now()
    phone = idnumbers.normalize(phone)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = settings.GOVHALL_PHONE_CODE_MINUTES
    row = PhoneCode.objects.create(
        phone=phone,
        code_hash=_hash(phone, code),
        expires_at=now + datetime.timedelta(minutes=minutes),
    )
    record_event(actor=None, action=FrontdeskEvent.PHONE_CODE_SEND, obj=row)
    text = _(
        "Your verification code is %(code)s (valid for %(minutes)d minutes): it confirms "
        "your phone for an appointment. Never tell it to anyone; if you did not ask for "
        "it, ignore this message."
    ) % {"code": code, "minutes": minutes}
    pk = row.pk

    def send() -> None:
        send_sms(to=phone, text=text, purpose=PURPOSE, obj=PhoneCode(pk=pk))

    transaction.on_commit(send)
    return row, code


def _refusal(message: str) -> ValidationError:
    return ValidationError({"phone_code": [message]})


def phone_code_check(*, phone: str, code: str, at: datetime.datetime | None = None) -> PhoneCode:
    """The phone's latest code when `code` is it and it is unused, counting one try. Call it outside
    the booking's transaction (the try must stay counted); ValidationError otherwise."""
    now = at or timezone.now()
    phone = idnumbers.normalize(phone)
    code = (code or "").strip()
    if not code:
        raise _refusal(_("Enter the code sent by SMS to your phone."))
    row = PhoneCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    if row is not None and row.used_at is not None:
        raise _refusal(_("This code has already been used; please ask for a new code."))
    if row is None or row.expires_at <= now:
        raise _refusal(
            _("The code has expired or was not asked for this phone; please ask for a new code.")
        )
    if not PhoneCode.objects.filter(
        pk=row.pk, tries__lt=settings.GOVHALL_PHONE_CODE_MAX_TRIES
    ).update(tries=F("tries") + 1):
        raise _refusal(_("Too many wrong codes; please ask for a new code."))
    if not hmac.compare_digest(row.code_hash, _hash(phone, code)):
        raise _refusal(_("The code is wrong; check the SMS and try again."))
    return row


def phone_code_consume(row: PhoneCode, *, at: datetime.datetime | None = None) -> None:
    """Use the checked code (inside the booking's transaction: undone if the booking is)."""
    now = at or timezone.now()
    if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    ):
        raise _refusal(_("This code has already been used; please ask for a new code."))


def phone_codes_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete codes that expired more than `older_than` ago (default: one day)."""
    cutoff = timezone.now() - (older_than or datetime.timedelta(days=1))
    deleted, _by_model = PhoneCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
