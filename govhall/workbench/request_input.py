"""Reading what every workbench view reads from a request: the signed-in staff user, a month."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone

from govhall.core.models import User


def staff_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind login_required."""
    assert isinstance(request.user, User)
    return request.user


def month_from_query(raw: str | None) -> tuple[int, int]:
    """`YYYY-MM` from a query string as (year, month); the current month when absent; 404 when
    malformed or outside 2000–2100, like any other URL that names nothing."""
    if not raw:
        today = timezone.localdate()
        return today.year, today.month
    try:
        year_text, month_text = raw.split("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError(raw)
        year, month = int(year_text), int(month_text)
        datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year, month


def month_neighbours(year: int, month: int) -> tuple[str, str]:
    """The `YYYY-MM` of the month before and the month after, for month navigation links."""
    index = year * 12 + (month - 1)
    before, after = index - 1, index + 1
    return f"{before // 12:04d}-{before % 12 + 1:02d}", f"{after // 12:04d}-{after % 12 + 1:02d}"
