"""Rate limits for the public doors (issue 12 item 3): one atomic counter per key and window.

`rate_hit(key=…, limit=…, window_seconds=…)` counts one hit of `key` in the current fixed window
and answers whether it is allowed. The count is raised by a single statement,

    INSERT … ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
    WHERE count < limit RETURNING count

so concurrent hits on SQLite and PostgreSQL can never let more than `limit` through: the
database serializes them on the unique (key, window_start) row. A refused hit changes nothing
(the WHERE fails, no row is returned). Windows are fixed (aligned on `window_seconds`, shifted
by `offset_seconds`: `local_day_offset()` aligns day windows on local midnight), so a client
may spend up to twice its limit around a window boundary, never more.

Keys name what is counted, e.g. `rate_key("booking.address", address)`: the value is hashed
(HMAC with SECRET_KEY), so no phone or ID number is stored in the counters. The hits are
written on the caller's connection: inside a transaction that later rolls back they are
undone too, so services that must count refused attempts hit outside their transaction.

Old windows are deleted by `rate_counters_prune()`, called by the worker each round.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from govhall.core.models import RateCounter

HOUR = 3600
DAY = 86400


class RateLimited(Exception):
    """A public door refused a request for too many recent ones (HTTP 429 with Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after  # seconds


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)
    key: str = ""
    window_start: int = 0
    count: int = 0  # hits in the window after this one (when allowed)


@dataclass(frozen=True)
class RateRule:
    """One limit: at most `limit` hits of `key` per window of `window_seconds`."""

    key: str
    limit: int
    window_seconds: int
    message: str = ""
    offset_seconds: int = 0


def rate_key(scope: str, value: str) -> str:
    """`scope:` and a keyed hash of `value` (no personal data in the counters)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (value or "").encode(), hashlib.sha256
    ).hexdigest()
    return f"{scope}:{digest[:40]}"


def local_day_offset(at: datetime.datetime | None = None) -> int:
    """The offset that aligns day windows on local midnight (UTC+8: 28800)."""
    offset = timezone.localtime(at or timezone.now()).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _window(now: int, window_seconds: int, offset_seconds: int) -> int:
    shifted = now + offset_seconds
    return shifted - shifted % window_seconds - offset_seconds


def rate_hit(
    *,
    key: str,
    limit: int,
    window_seconds: int,
    offset_seconds: int = 0,
    at: datetime.datetime | None = None,
) -> RateDecision:
    """Count one hit of `key` in the current window: allowed while the window had fewer than
    `limit` hits. Atomic under concurrency; a refused hit changes nothing."""
    window_seconds = max(1, int(window_seconds))
    now = int((at or timezone.now()).timestamp())
    start = _window(now, window_seconds, offset_seconds)
    end = start + window_seconds
    retry_after = max(1, end - now)
    if limit <= 0:
        return RateDecision(False, retry_after, key, start)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (key, window_start, window_end, count) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
        f"WHERE {table}.count < %s RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key[:200], start, end, int(limit)])
        row = cursor.fetchone()
    if row is None:
        return RateDecision(False, retry_after, key, start)
    return RateDecision(True, 0, key, start, int(row[0]))


def rate_refund(decision: RateDecision) -> None:
    """Give back an allowed hit (e.g. a progress inquiry that turned out right)."""
    if decision.allowed:
        RateCounter.objects.filter(
            key=decision.key[:200], window_start=decision.window_start, count__gt=0
        ).update(count=F("count") - 1)


def rate_limit(
    rules: Sequence[RateRule], *, at: datetime.datetime | None = None
) -> list[RateDecision]:
    """Hit every rule in order. When one refuses, the hits already counted are given back and
    RateLimited is raised with that rule's message; otherwise the decisions are returned."""
    decisions: list[RateDecision] = []
    for rule in rules:
        decision = rate_hit(
            key=rule.key,
            limit=rule.limit,
            window_seconds=rule.window_seconds,
            offset_seconds=rule.offset_seconds,
            at=at,
        )
        if not decision.allowed:
            for earlier in decisions:
                rate_refund(earlier)
            raise RateLimited(rule.message, decision.retry_after)
        decisions.append(decision)
    return decisions


def rate_counters_prune(*, at: datetime.datetime | None = None) -> int:
    """Delete the windows that ended more than a minute ago; returns how many."""
    now = int((at or timezone.now()).timestamp())
    deleted, _by_model = RateCounter.objects.filter(window_end__lt=now - 60).delete()
    return deleted
