"""Hall notices (公告: policies, 便民措施; issue 18 item 5): what a center publishes on the portal's
disclosure page and scrolls on its display board's ticker."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel

NOTICE_TITLE_MAX = 100
NOTICE_BODY_MAX = 2000


class HallNotice(TimeStampedModel):
    """A notice of one center, shown while published and between `starts_at` and `ends_at`
    (open-ended when empty), ordered by `position`, then newest first."""

    center = models.ForeignKey(
        "org.Center",
        verbose_name=_("center"),
        on_delete=models.CASCADE,
        related_name="hall_notices",
    )
    title = models.CharField(_("title"), max_length=NOTICE_TITLE_MAX)
    body = models.TextField(_("text"), max_length=NOTICE_BODY_MAX, blank=True)
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["center", "position", "-starts_at", "-id"]
        verbose_name = _("hall notice")
        verbose_name_plural = _("hall notices")
        indexes = [
            models.Index(
                fields=["center", "is_published", "starts_at"], name="hall_notice_shown_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="hall_notice_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
