from __future__ import annotations

from django.http import HttpRequest

from govhall.core.roles import roles_of
from govhall.org.access.scope import scope_of
from govhall.staffing.access.cover import can_see_vacancies
from govhall.staffing.queries.cover import vacancies_in_scope
from govhall.workbench.calendar.warnings import calendar_warnings
from govhall.workbench.navigation import nav_entries


def workbench(request: HttpRequest) -> dict[str, object]:
    """Menu, the user's center and role names for the workbench layout (staff pages only)."""
    if not request.path.startswith("/staff/") or not request.user.is_authenticated:
        return {}
    scope = scope_of(request.user)
    # Empty posts (空岗) reach the hall director at once: a banner on every workbench page.
    open_vacancies = (
        vacancies_in_scope(request.user).filter(ended_at__isnull=True).count()
        if can_see_vacancies(request.user)
        else 0
    )
    return {
        "open_vacancies": open_vacancies,
        "nav_entries": nav_entries(request),
        "staff_center": scope.root,
        "user_role_labels": sorted(str(role.label) for role in roles_of(request.user)),
        "calendar_warnings": calendar_warnings(scope.root),
    }
