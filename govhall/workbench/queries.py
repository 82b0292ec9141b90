"""Composed reads for the workbench home page."""

from __future__ import annotations

from django.db.models import Count, Q

from govhall.catalog.access.scope import items_in_scope
from govhall.org.access.scope import centers_in_scope, departments_in_scope, windows_in_scope


def home_figures(user: object) -> dict[str, int]:
    centers = centers_in_scope(user)
    center_counts = centers.aggregate(total=Count("pk"))
    items = items_in_scope(user).aggregate(
        total=Count("pk"), online=Count("pk", filter=Q(online_available=True))
    )
    return {
        "centers": center_counts["total"],
        "departments": departments_in_scope(user).count(),
        "windows": windows_in_scope(user).distinct().count(),
        "items": items["total"],
        "online_items": items["online"],
    }
