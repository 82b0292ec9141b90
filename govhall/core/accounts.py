"""Account security (issue 12, 等保 2.0 level 3): password expiry, the second factor (TOTP with
django-otp), and the person's login history (django-axes' access logs).

The rules are here, in layer 1; the pages and the middleware that enforces them are in the
workbench."""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.core.events import CoreEvent, record_event
from govhall.core.models import User
from govhall.core.roles import roles_of

# Longest username axes records: Django's own limit. A longer name (no account has one) would
# otherwise reach axes' 255-character column and fail there.
USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length or 150


def login_username(request: object, credentials: dict[str, object] | None) -> str:
    """The username a login attempt is counted under (AXES_USERNAME_CALLABLE), bounded."""
    if credentials and credentials.get("username") is not None:
        name = str(credentials["username"])
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        name = str(data.get("username", "") or "")
    return name[:USERNAME_MAX_LENGTH]


# --- passwords ------------------------------------------------------------------------------


def password_expires_at(user: User) -> datetime.datetime | None:
    """When the user's password expires; None when it never does (expiry off, or never set)."""
    days = settings.GOVHALL_PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None or not user.has_usable_password():
        return None
    return user.password_changed_at + datetime.timedelta(days=days)


def password_expired(user: User) -> bool:
    expires = password_expires_at(user)
    return expires is not None and expires <= timezone.now()


@transaction.atomic
def password_change_own(*, actor: User, password: str) -> User:
    """The person changes their own password (already validated by the form); logged."""
    actor.set_password(password)
    actor.save(update_fields=["password"])
    record_event(actor=actor, action=CoreEvent.USER_CHANGE_PASSWORD, obj=actor)
    return actor


# --- second factor --------------------------------------------------------------------------


def otp_required_by_role(user: User) -> bool:
    wanted = set(settings.GOVHALL_OTP_REQUIRED_ROLES)
    return bool(wanted) and any(role.value in wanted for role in roles_of(user))


def otp_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def otp_needed(user: User) -> bool:
    """A second factor is asked of whoever has enrolled, and of the roles that must."""
    return otp_required_by_role(user) or otp_device(user) is not None


def otp_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def otp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (groups of four)."""
    secret = base64.b32encode(binascii.unhexlify(device.key.encode())).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def otp_enroll_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the enrollment with a code from the app; False (nothing changed) when wrong."""
    if device.user_id != actor.pk or device.confirmed:
        return False
    if not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(actor=actor, action=CoreEvent.USER_ENROLL_OTP, obj=actor)
    return True


@transaction.atomic
def otp_reset(*, actor: User, user: User, reason: str = "") -> int:
    """Remove a person's authenticators (lost phone): they enroll again at their next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    record_event(actor=actor, action=CoreEvent.USER_RESET_OTP, obj=user, note=reason)
    return deleted


# --- login history --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginEntry:
    at: datetime.datetime
    succeeded: bool
    address: str
    user_agent: str
    logged_out_at: datetime.datetime | None = None


def login_history(user: User, *, limit: int = 50) -> list[LoginEntry]:
    """The person's latest logins, successful and failed, newest first (by username, as
    django-axes records them)."""
    successes = [
        LoginEntry(
            at=log.attempt_time,
            succeeded=True,
            address=log.ip_address or "",
            user_agent=log.user_agent,
            logged_out_at=log.logout_time,
        )
        for log in AccessLog.objects.filter(username=user.username).order_by("-attempt_time")[
            :limit
        ]
    ]
    failures = [
        LoginEntry(
            at=log.attempt_time,
            succeeded=False,
            address=log.ip_address or "",
            user_agent=log.user_agent,
        )
        for log in AccessFailureLog.objects.filter(username=user.username).order_by(
            "-attempt_time"
        )[:limit]
    ]
    return sorted(successes + failures, key=lambda entry: entry.at, reverse=True)[:limit]
