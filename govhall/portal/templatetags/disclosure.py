"""`{% hall_phones %}`: the complaint and supervision phones of the top halls in every portal
page's footer (政务公开, issue 18 item 5), read at most every CACHE_SECONDS."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache

from govhall.org.models import Center

register = template.Library()

CACHE_KEY = "portal.disclosure.hall_phones"
CACHE_SECONDS = 300


def top_hall_phones() -> list[dict[str, Any]]:
    """The shallowest active centers that publish a complaint or supervision phone."""
    cached: list[dict[str, Any]] | None = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    found: list[dict[str, Any]] = [
        dict(row)
        for row in Center.objects.active()
        .exclude(complaint_phone="", supervision_phone="")
        .values("code", "name", "path", "complaint_phone", "supervision_phone")
        .order_by("path")[:50]
    ]
    depth = min((row["path"].count("/") for row in found), default=0)
    rows = [row for row in found if row["path"].count("/") == depth][:3]
    cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return rows


@register.inclusion_tag("portal/disclosure/_footer_phones.html")
def hall_phones() -> dict[str, Any]:
    return {"halls": top_hall_phones()}
