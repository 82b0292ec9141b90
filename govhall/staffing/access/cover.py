"""Who follows the cover alerts (posts left empty, SPEC §9): the question the menu, the pages,
the API and `govhall.staffing.queries.cover.vacancies_in_scope` ask."""

from __future__ import annotations

from govhall.core.roles import RECORD_READER_ROLES
from govhall.org.access.scope import scope_of


def can_see_vacancies(user: object) -> bool:
    """Hall managers and supervisors follow the empty-post alerts."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & RECORD_READER_ROLES)
