"""Every event name the feedback app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `FeedbackConfig.ready()`.

Each helper adds the names of its part in its own block; keep them grouped."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackEvent(models.TextChoices):
    # A full view of a person's data in any register (services/privacy.py)
    VIEW_PERSONAL_DATA = "feedback.view_personal_data", _("Personal data viewed in full")
    # Ratings (好差评)
    RATING_GIVE = "rating.give", _("Rating given")
    # Complaints (投诉)
    COMPLAINT_REGISTER = "complaint.register", _("Complaint registered")
    # Petitions (信访)
    PETITION_REGISTER = "petition.register", _("Petition registered")
    # 12345 work orders
    WORK_ORDER_RECEIVE = "work_order.receive", _("12345 work order received")
    # Suggestion box and message book
    SUGGESTION_RECEIVE = "suggestion.receive", _("Suggestion or message received")
    # Social supervisors and surveys
    SUPERVISOR_APPOINT = "supervisor.appoint", _("Social supervisor appointed")
