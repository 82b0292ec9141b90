"""The score-sheet lifecycle as data (issue 14 item 7).

One row per (status, action): who may take it and where the sheet goes (None: it stays). The same
table draws the buttons of the sheet page, answers the API's `actions` and is checked by every
sheet service (`govhall.assessment.services.sheets`); anything it does not allow is refused with
nothing changed.

Who is a relation of the user to the sheet (`govhall.assessment.access.sheets.parties_of`):
`manager` — a hall manager (director, administrator) of the sheet's center subtree
(`manages_center`). Nobody is a manager of their own sheet (guard `not_own`, applied to every
row: nobody scores, reviews or publishes themselves).

- draft: automatic fill from alerts; manual deductions and bonuses; review;
- reviewed: checked by management, the automatic fill stops; publish, or reopen (back to draft,
  the fill picks up what came meanwhile);
- published: frozen; a change is a correction entry, logged and marked after publication.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.assessment.models.sheets import SheetStatus as S
from govhall.core.lifecycle import Transition, TransitionTable


class SheetAction(models.TextChoices):
    DEDUCT = "deduct", _("Deduct points")
    BONUS = "bonus", _("Add bonus points")
    REVIEW = "review", _("Mark as reviewed")
    REOPEN = "reopen", _("Reopen")
    PUBLISH = "publish", _("Publish")
    CORRECT = "correct", _("Correct")


class SheetParty(models.TextChoices):
    MANAGER = "manager", _("A hall manager of the center")


A = SheetAction
MANAGER = frozenset({SheetParty.MANAGER.value})
# The actions that add an entry (the others move the sheet).
ENTRY_ACTIONS = frozenset({A.DEDUCT.value, A.BONUS.value, A.CORRECT.value})

SHEET_TRANSITIONS = TransitionTable(
    [
        Transition(S.DRAFT, A.DEDUCT, MANAGER, None, guard="not_own"),
        Transition(S.DRAFT, A.BONUS, MANAGER, None, guard="not_own"),
        Transition(S.DRAFT, A.REVIEW, MANAGER, S.REVIEWED, guard="not_own"),
        Transition(S.REVIEWED, A.REOPEN, MANAGER, S.DRAFT, guard="not_own"),
        Transition(S.REVIEWED, A.PUBLISH, MANAGER, S.PUBLISHED, guard="not_own"),
        Transition(S.PUBLISHED, A.CORRECT, MANAGER, None, guard="not_own"),
    ]
)
