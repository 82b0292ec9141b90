"""Fees charged on a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.catalog.models import FeeItem


class CaseFee(models.Model):
    """A fee charged on a case, never above the approved standard (seeds/001…)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fees")
    fee_item = models.ForeignKey(
        FeeItem, verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("case fee")
        verbose_name_plural = _("case fees")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="case_fee_nonneg"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="case_fee_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ¥{self.amount}"
