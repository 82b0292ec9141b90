"""一件事一次办 (issue 19 item 5): a bundle of items applied for together with one form, one
set of materials and its own promised limit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem
from govhall.core.models import TimeStampedModel
from govhall.org.models import Center


class Bundle(TimeStampedModel):
    """A life event (e.g. opening a restaurant) offered as one application of several items."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="bundles"
    )
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The bundle's own promise (working days from acceptance), at most the longest legal limit
    # of its items (checked by the catalog service).
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    is_active = models.BooleanField(_("published"), default=True)
    items: models.ManyToManyField[ServiceItem, BundleItem] = models.ManyToManyField(
        ServiceItem, through="BundleItem", related_name="bundles", verbose_name=_("items")
    )

    class Meta:
        ordering = ["center", "name", "id"]
        verbose_name = _("bundle (one-thing service)")
        verbose_name_plural = _("bundles (one-thing service)")
        indexes = [models.Index(fields=["center", "is_active"], name="bundle_center_idx")]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["bundle", "position", "id"]
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"
