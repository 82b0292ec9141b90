"""A joint department's own time limit on an item (issue 16 item 7, seeds/000… 篇5 五)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem
from govhall.org.models import Department


class JointDepartmentDays(models.Model):
    """How many working days `department` has for its review task on a joint case of `item`;
    a joint department without a row follows the case's time limit."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="joint_days")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    days = models.PositiveSmallIntegerField(_("review limit (working days)"))

    class Meta:
        ordering = ["item", "department"]
        verbose_name = _("joint department time limit")
        verbose_name_plural = _("joint department time limits")
        constraints = [
            models.UniqueConstraint(fields=["item", "department"], name="joint_days_unique"),
            models.CheckConstraint(condition=Q(days__gte=1), name="joint_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.department}: {self.days}"
