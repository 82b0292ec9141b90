"""Errors of the staffing services. Bad input or a refused action raises Django's
ValidationError (a clear message, nothing changed); a decision on a leave or an absence that
changed since the actor's page was drawn raises StaleDecision, a `Conflict`."""

from __future__ import annotations

from govhall.core.validation import Conflict


class StaleDecision(Conflict):
    """The leave or absence is no longer where the actor's page showed it (another decider
    acted first, the request was cancelled, the person is already back): nothing changed. The
    API answers 409."""
