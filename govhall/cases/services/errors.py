"""Errors of the case services. Bad input raises Django's ValidationError (a clear message,
nothing changed); a case that changed under the actor's feet raises CaseConflict (a
`govhall.core.validation.Conflict`: 409 in the API)."""

from __future__ import annotations

from govhall.core.validation import Conflict


class CaseConflict(Conflict):
    """The case changed since the actor looked at it (another clerk acted first), or the action
    is not possible from the case's current status. The API answers 409."""


class IdempotencyKeyReused(CaseConflict):
    """The idempotency key names an application someone else made: nothing is created and
    nothing of that application is shown. The API answers 409."""
