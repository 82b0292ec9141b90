"""Who reads the cases passed by timeout default (超时默认): hall management and supervisors, over
their center subtree (the report to the director of issue 14 item 4)."""

from __future__ import annotations

from govhall.core.roles import RECORD_READER_ROLES
from govhall.org.access.scope import scope_of


def can_read_timeout_defaults(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & RECORD_READER_ROLES)
