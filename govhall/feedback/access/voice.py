"""Who reads and who manages the suggestion box, the social supervisors' records and the
satisfaction surveys: one question each, asked by all three (issue 15 items 5 and 6)."""

from __future__ import annotations

from govhall.core.roles import VOICE_MANAGER_ROLES, VOICE_READER_ROLES
from govhall.org.access.scope import scope_of


def reads_voice(user: object) -> bool:
    """Reads the entries, records and results of their centers."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & VOICE_READER_ROLES)


def manages_voice(user: object) -> bool:
    """Replies, appoints, answers records, defines surveys (of the centers they manage)."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & VOICE_MANAGER_ROLES)
