"""What the feedback module's messages are for (the outbox's 用途), registered in
FeedbackConfig.ready through govhall.core.notify.register_purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackPurpose(models.TextChoices):
    RATING_INVITATION = "rating.invitation", _("Rating invitation")
    RATING_BAD = "rating.bad", _("Bad rating reminder")
    RATING_RESULT = "feedback.rating_result", _("Bad rating follow-up result")
    COMPLAINT_RESULT = "feedback.complaint_result", _("Complaint result notice")
    SUGGESTION_REPLY = "suggestion_reply", _("Suggestion reply notice")
    SUGGESTION_SUMMARY = "suggestion_summary", _("Monthly suggestion summary")
