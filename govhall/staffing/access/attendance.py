"""Who sees the day's attendance board of their center: the question the pages and the menu
ask."""

from __future__ import annotations

from govhall.core.roles import ATTENDANCE_BOARD_ROLES
from govhall.org.access.scope import scope_of


def can_see_attendance_board(user: object) -> bool:
    """Who see the day's board of their center (who signed in, late, missing)."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & ATTENDANCE_BOARD_ROLES)
