"""What the case module's messages are for (the outbox's 用途), registered in CasesConfig.ready
through govhall.core.notify.register_purposes. The values are "case." + the purpose names of
govhall.cases.services.messages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CasePurpose(models.TextChoices):
    ACCEPTED = "case.accepted", _("Case accepted notice")
    SUPPLEMENT = "case.supplement", _("Supplement request notice")
    DECISION = "case.decision", _("Case decided notice")
    READY_FOR_PICKUP = "case.ready_for_pickup", _("Ready for pickup notice")
    ESCALATION_CLOSED = "case.escalation_closed", _("Higher level's result notice")
    EXTENDED = "case.extended", _("Time limit extended notice")
    PREREVIEW_RETURNED = "case.prereview_returned", _("Returned at pre-review notice")
    SUSPENDED = "case.suspended", _("Case suspended notice")
    RESUMED = "case.resumed", _("Case resumed notice")
    DEADLINE_MOVED = "case.deadline_moved", _("Promised date moved notice")
    DELIVERED = "case.delivered", _("Result delivered notice")
