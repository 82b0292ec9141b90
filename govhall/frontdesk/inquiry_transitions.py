"""The state machine of a transferred inquiry as data (首问负责制, SPEC §7).

Logging a contact (`inquiry_log`) creates it: done at once, unless the matter was transferred to
a department, when it stays open on the first responder's follow-up list. Then one row per
(status, action): who may take it and where the inquiry goes. The same table draws the buttons
of the inquiry page and the transfers list, answers the API's `actions` and is checked by the
services (`govhall.frontdesk.services.inquiries.inquiry_refusal`).

Who: the receiver is the staff of the department the matter went to, or a manager of the hall
(`is_receiver`); the first responder follows the matter up but cannot close it. Guard
`not_taken_on`: a matter is taken on once. Finishing a matter not yet taken on takes it on too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.frontdesk.models.inquiry import InquiryStatus as S


class InquiryAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Take it on")
    FINISH = "finish", _("Mark done")


class InquiryParty(models.TextChoices):
    RECEIVER = "receiver", _("The receiving department or the hall's management")


RECEIVER = frozenset({InquiryParty.RECEIVER.value})

INQUIRY_TRANSITIONS = TransitionTable(
    [
        Transition(S.OPEN, InquiryAction.ACKNOWLEDGE, RECEIVER, S.OPEN, guard="not_taken_on"),
        Transition(S.OPEN, InquiryAction.FINISH, RECEIVER, S.DONE),
    ]
)
