"""Suggestion box and message book (意见箱, 留言簿; seeds/000… 篇3 四; issue 15 item 5).

Entries come from the portal or are typed from paper; each gets a reply (办复率 100%); a monthly
summary goes to the leaders.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion box (意见箱)")
    MESSAGE = "message", _("Message book (留言簿)")


class SuggestionChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PAPER = "paper", _("Paper, typed in by staff")


class Suggestion(models.Model):
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SuggestionKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=SuggestionChannel.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    content = models.TextField(_("content"), max_length=5000)
    received_at = models.DateTimeField(_("received at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_due_at = models.DateTimeField(_("reply due"))
    reply = models.TextField(_("reply"), max_length=5000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The writer chose to show the entry and its reply on the portal's message wall.
    is_public = models.BooleanField(_("shown on the portal"), default=False)
    public_token = models.CharField(max_length=24, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("suggestion or message")
        verbose_name_plural = _("suggestions and messages")
        indexes = [
            models.Index(fields=["center", "received_at"], name="suggestion_period_idx"),
            models.Index(fields=["replied_at", "reply_due_at"], name="suggestion_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_at:%Y-%m-%d}"


class SuggestionSummary(models.Model):
    """The monthly summary of the suggestion box sent to a center's hall directors: one row per
    center and month, so the summary is never sent twice (the unique pair is the lock)."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-month", "center"]
        verbose_name = _("monthly suggestion summary")
        verbose_name_plural = _("monthly suggestion summaries")
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="suggestion_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.center_id} · {self.month:%Y-%m}"
