"""A change of a standard item waiting for a local item's review (issue 21 item 5,
seeds/000… 篇2 二(二): the county keeps one item list its towns and villages adopt).

When a county's standard item changes a governed field (`govhall.catalog.standard_rules`), each
item adopting it gets one pending review (a later change extends the same pending review). The
local center's director applies the standard's values or keeps an allowed local deviation; the
lifecycle is `govhall.catalog.standard_transitions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPLIED = "applied", _("Standard applied")
    KEPT = "kept", _("Local deviation kept")


class StandardReview(models.Model):
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("local item"),
        on_delete=models.CASCADE,
        related_name="standard_reviews",
    )
    standard = models.ForeignKey(
        ServiceItem, verbose_name=_("standard item"), on_delete=models.CASCADE, related_name="+"
    )
    from_revision = models.PositiveIntegerField(_("from revision"))
    to_revision = models.PositiveIntegerField(_("to revision"))
    # Governed field names that changed ("materials" for the material list), and the ids of the
    # standard's materials added meanwhile (applying copies them).
    changed_fields = models.JSONField(_("changed fields"), default=list)
    added_materials = models.JSONField(default=list)
    state = models.CharField(
        _("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("standard change review")
        verbose_name_plural = _("standard change reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="standard_review_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "applied", "kept"]),
                name="standard_review_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} r{self.from_revision}→r{self.to_revision}"
