"""What the online hall's messages are for (the outbox's 用途), registered in OnlineConfig.ready
through govhall.core.notify.register_purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlinePurpose(models.TextChoices):
    # Accounts (issue 19 item 1)
    SMS_CODE = "online.sms_code", _("Online hall verification code")
    # My page (issue 19 item 3): the daily reminders
    REMIND_SUPPLEMENT = "online.remind_supplement", _("Reminder: materials to supplement")
    REMIND_PENDING = "online.remind_pending", _("Reminder: green-channel materials due")
    REMIND_LICENCE = "online.remind_licence", _("Reminder: licence about to expire")
