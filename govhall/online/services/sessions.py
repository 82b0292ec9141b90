"""Online hall sign-in sessions (issue 19 item 1).

Entry points:
def session_start(*, account, acting_for=None, ip=None, user_agent="", at=None)
    -> (AccountSession, raw cookie key)
def session_end(*, session, at=None) -> None
def session_touch(session, *, at=None) -> None

The browser keeps a random key in its own cookie (settings.GOVHALL_ONLINE_COOKIE_NAME); only the
key's SHA-256 is stored. A session ends after GOVHALL_ONLINE_SESSION_IDLE_MINUTES without a
request and at most GOVHALL_ONLINE_SESSION_MAX_HOURS after sign-in. The credential checks
(password, SMS code, lockout) live with the account services and call `session_start` last.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govhall.core.events import record_event
from govhall.online.events import OnlineEvent
from govhall.online.models import AccountSession, ApplicantAccount

# Write last_seen_at at most this often: a page's every request need not write its session.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(settings.GOVHALL_ONLINE_SESSION_IDLE_MINUTES))


def _expiry(started: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    longest = started + datetime.timedelta(hours=int(settings.GOVHALL_ONLINE_SESSION_MAX_HOURS))
    return min(now + idle_limit(), longest)


@transaction.atomic
def session_start(
    *,
    account: ApplicantAccount,
    acting_for: ApplicantAccount | None = None,
    ip: str | None = None,
    user_agent: str = "",
    at: datetime.datetime | None = None,
) -> tuple[AccountSession, str]:
    """A new session of `account` (signed in by the caller) and the raw key for its cookie."""
    now = at or timezone.now()
    raw_key = secrets.token_urlsafe(32)
    session = AccountSession.objects.create(
        account=account,
        acting_for=acting_for,
        key_hash=key_hash(raw_key),
        last_seen_at=now,
        expires_at=_expiry(now, now),
        ip=ip or None,
        user_agent=user_agent[:200],
    )
    ApplicantAccount.objects.filter(pk=account.pk).update(last_login_at=now)
    record_event(actor=None, action=OnlineEvent.ACCOUNT_LOGIN, obj=account, data={})
    return session, raw_key


@transaction.atomic
def session_end(*, session: AccountSession, at: datetime.datetime | None = None) -> None:
    now = at or timezone.now()
    ended = AccountSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now)
    if ended:
        record_event(actor=None, action=OnlineEvent.ACCOUNT_LOGOUT, obj=session.account, data={})


def session_touch(session: AccountSession, *, at: datetime.datetime | None = None) -> None:
    """Push the idle expiry forward (at most once a minute)."""
    now = at or timezone.now()
    if now - session.last_seen_at < TOUCH_EVERY:
        return
    expires = _expiry(session.created_at, now)
    AccountSession.objects.filter(pk=session.pk).update(last_seen_at=now, expires_at=expires)
    session.last_seen_at = now
    session.expires_at = expires


def sessions_end_all(*, account: ApplicantAccount, at: datetime.datetime | None = None) -> int:
    """End every open session of `account` (after a password reset, a lock)."""
    return AccountSession.objects.filter(account=account, ended_at__isnull=True).update(
        ended_at=at or timezone.now()
    )
