"""What the front desk's messages are for (the outbox's 用途), registered in FrontdeskConfig.ready
through govhall.core.notify.register_purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrontdeskPurpose(models.TextChoices):
    PHONE_CODE = "appointment.phone_code", _("Booking verification code")
    BOOK = "appointment.book", _("Booking confirmation")
    CANCEL = "appointment.cancel", _("Booking cancellation notice")
    REMIND = "appointment.remind", _("Booking reminder")
    REQUEST = "appointment.request", _("Off-hours booking request received")
    DECIDE = "appointment.decide", _("Off-hours booking request decision")
    OUTAGE = "appointment.outage", _("Booking moved by a closure")
    NEAR_TURN = "queue.near_turn", _("Queue turn approaching")
    REASSIGNED = "appointment.reassigned", _("Off-hours appointment given to another staff member")
