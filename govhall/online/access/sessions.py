"""Which online session a browser's cookie stands for (issue 19 item 1)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.online.models import AccountSession
from govhall.online.services.sessions import key_hash


def session_for_key(
    raw_key: str | None, *, at: datetime.datetime | None = None
) -> AccountSession | None:
    """The open, unexpired session of an active account the key belongs to, or None."""
    if not raw_key or len(raw_key) > 100:
        return None
    now = at or timezone.now()
    return (
        AccountSession.objects.select_related("account", "acting_for")
        .filter(
            key_hash=key_hash(raw_key),
            ended_at__isnull=True,
            expires_at__gt=now,
            account__is_active=True,
        )
        .first()
    )
