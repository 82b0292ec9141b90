"""Who follows the return warnings (people due to be returned to their department, SPEC §9):
the question the menu, the pages and the API ask."""

from __future__ import annotations

from govhall.core.roles import RECORD_READER_ROLES
from govhall.org.access.scope import scope_of


def can_see_return_warnings(user: object) -> bool:
    """Hall managers and supervisors follow who is due to be returned to their department."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & RECORD_READER_ROLES)
