"""Required documents of an item (要件)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem


class Material(models.Model):
    """A required document (要件). Main materials decide return versus supplement."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "both", _("Original and copy")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    is_main = models.BooleanField(_("main material"), default=True)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(
        _("copies"), default=1, validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A conditional material (e.g. 委托书 only when a representative applies): required only when
    # this condition holds; empty for a material every applicant brings (issue 17 item 2).
    condition = models.CharField(_("required only when"), max_length=200, blank=True)
    blank_form = models.FileField(_("blank form"), upload_to="catalog/forms/", blank=True)
    sample = models.FileField(_("filled-in sample"), upload_to="catalog/samples/", blank=True)
    # An electronic licence of this item, held by the applicant, stands for the material
    # (issue 19 item 4): no upload, no paper.
    licence_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("accepted as the electronic licence of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Issue 21 item 5: the standard item's material this local material copies (null: the item
    # is not an adoption). A local item may omit a standard material, never add one.
    standard_material = models.ForeignKey(
        "self",
        verbose_name=_("material of the standard"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_copies",
    )

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["original", "copy", "both"]), name="material_form_valid"
            ),
            models.CheckConstraint(condition=Q(copies__gte=1), name="material_copies_positive"),
        ]

    def __str__(self) -> str:
        return self.name
