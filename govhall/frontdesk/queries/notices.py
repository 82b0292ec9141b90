"""The hall notices shown now (issue 18 item 5): on the portal's disclosure page and the display
board's ticker. One indexed query (center, published, starts_at)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from govhall.frontdesk.models import HallNotice
from govhall.org.models import Center


def notices_shown(center: Center, at: datetime.datetime | None = None) -> QuerySet[HallNotice]:
    """Published notices of `center` whose time has come and not passed, by position."""
    now = at or timezone.now()
    return (
        HallNotice.objects.filter(center=center, is_published=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("position", "-starts_at", "-id")[: settings.GOVHALL_PUBLIC_NOTICES_MAX]
    )


def notices_listed(
    notices: QuerySet[HallNotice], *, center_id: int | None = None
) -> QuerySet[HallNotice]:
    """The notices a manager lists (the workbench page and the API): `notices` (already limited
    to what the caller may see), of one center when `center_id` is given, in the order they are
    shown (position, newest first). One query whatever their number."""
    listed = notices.select_related("center")
    if center_id is not None:
        listed = listed.filter(center_id=center_id)
    return listed.order_by("center__path", "position", "-starts_at", "-id")


def board_notices(center: Center, at: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """The ticker's lines: id and title (the board has no room for the text)."""
    return [
        {"id": notice.pk, "title": notice.title}
        for notice in notices_shown(center, at).only("id", "title")
    ]
