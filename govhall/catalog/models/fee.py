"""Fees of an item with their approved standard (收费标准)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem


class FeeItem(models.Model):
    """A fee with its approved standard (收费标准); nothing may be charged above it."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("name"), max_length=200)
    standard_amount = models.DecimalField(
        _("approved standard (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=32, default="件")
    standard_basis = models.CharField(_("basis of the standard"), max_length=300)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        constraints = [
            models.CheckConstraint(
                condition=Q(standard_amount__gt=0), name="fee_standard_positive"
            ),
            models.CheckConstraint(
                condition=~Q(standard_basis=""), name="fee_standard_basis_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ¥{self.standard_amount}/{self.unit}"
