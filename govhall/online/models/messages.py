"""Messages on the applicant's page (issue 19 item 3): what the hall told them, also by SMS."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.online.models.accounts import ApplicantAccount


class AccountMessage(models.Model):
    account = models.ForeignKey(ApplicantAccount, on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(_("created at"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to an applicant")
        verbose_name_plural = _("messages to applicants")
        indexes = [
            models.Index(fields=["account", "read_at", "created_at"], name="account_message_idx")
        ]

    def __str__(self) -> str:
        return self.title
