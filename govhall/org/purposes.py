"""What the org module's messages are for (the outbox's 用途), registered in OrgConfig.ready
through govhall.core.notify.register_purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgPurpose(models.TextChoices):
    STAFF_ACCOUNT = "staff.account", _("Staff account change notice")
