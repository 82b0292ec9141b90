"""The lifecycle of a review of a standard item's change as data (issue 21 item 5,
seeds/000… 篇2 二(二)).

A governed change of a county's standard item gives each adopting item one pending review
(`govhall.catalog.services.standard_revisions.standard_revise`). A manager of the local item's
center applies the standard's values, or keeps the local item as it is when it still keeps the
rule (`deviation_allowed`: `govhall.catalog.standard_rules`). The same table draws the buttons
of the comparison page, answers the API's actions and is checked by
`govhall.catalog.services.standard_list.standard_review_act`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.standard import ReviewState as S
from govhall.core.lifecycle import Transition, TransitionTable


class ReviewAction(models.TextChoices):
    APPLY = "apply", _("Apply the standard")
    KEEP = "keep", _("Keep the local deviation")


class ReviewParty(models.TextChoices):
    LOCAL_MANAGER = "local_manager", _("A manager of the local item's center")


LOCAL_MANAGER = frozenset({ReviewParty.LOCAL_MANAGER.value})
DEVIATION_ALLOWED = "deviation_allowed"

REVIEW_TRANSITIONS = TransitionTable(
    [
        Transition(S.PENDING, ReviewAction.APPLY, LOCAL_MANAGER, S.APPLIED),
        Transition(S.PENDING, ReviewAction.KEEP, LOCAL_MANAGER, S.KEPT, DEVIATION_ALLOWED),
    ]
)
