"""Which windows serve an item, and how far each is authorized to decide."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem
from govhall.org.models import Window


class Authorization(models.TextChoices):
    FULL = "full", _("Full: the window decides on the spot")  # 全部授权
    PARTIAL = "partial", _("Partial: the window accepts and reviews, the department approves")
    LIMITED = "limited", _("Limited: the window receives and forwards")  # 有限授权


class ItemWindow(models.Model):
    """Which window serves an item, and how far that window is authorized to decide."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="item_windows")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="item_windows")
    authorization = models.CharField(
        _("authorization"),
        max_length=16,
        choices=Authorization.choices,
        default=Authorization.PARTIAL,
    )

    class Meta:
        ordering = ["item", "window__number"]
        verbose_name = _("window of an item")
        verbose_name_plural = _("windows of items")
        constraints = [
            models.UniqueConstraint(fields=["item", "window"], name="item_window_unique"),
            models.CheckConstraint(
                condition=Q(authorization__in=["full", "partial", "limited"]),
                name="item_window_authorization_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.window}"
