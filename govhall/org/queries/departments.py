"""Reading the departments of a user's scope."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from govhall.org.access.scope import departments_in_scope
from govhall.org.models import Center, Department


def departments_for(user: object, *, center: Center | None = None) -> QuerySet[Department]:
    """Departments in scope (optionally of one center) with their window counts."""
    departments = departments_in_scope(user).select_related("center")
    if center is not None:
        departments = departments.filter(center=center)
    return departments.annotate(
        window_count=Count("windows", distinct=True),
        staff_count=Count("staff", distinct=True),
    ).order_by("center__path", "code")
