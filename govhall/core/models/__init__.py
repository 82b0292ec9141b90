"""The foundation's stored records, one module per topic; Django finds the models here."""

from govhall.core.models.base import TimeStampedModel
from govhall.core.models.event_log import Event
from govhall.core.models.jobs import Job
from govhall.core.models.messages import OutboundMessage
from govhall.core.models.rate_limits import RateCounter
from govhall.core.models.tokens import ApiToken
from govhall.core.models.users import User

__all__ = [
    "ApiToken",
    "Event",
    "Job",
    "OutboundMessage",
    "RateCounter",
    "TimeStampedModel",
    "User",
]
