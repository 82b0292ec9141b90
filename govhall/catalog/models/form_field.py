"""The online application form of an item (issue 19 item 2): its fields, typed, in order."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models.item import ServiceItem


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    TEXTAREA = "textarea", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    PHONE = "phone", _("Mobile phone")
    ID_NUMBER = "id_number", _("ID number")


class FormField(models.Model):
    """One field of the form an applicant fills in online for `item`. `key` names the answer in
    the stored form data; fields with the same key in a bundle's items are asked once."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="form_fields")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(
        _("type"), max_length=16, choices=FieldType.choices, default=FieldType.TEXT
    )
    required = models.BooleanField(_("required"), default=True)
    # For choice fields: the options, one per line.
    choices = models.TextField(_("options (one per line)"), blank=True)
    help_text = models.CharField(_("hint"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="form_field_item_key_unique"),
            models.CheckConstraint(
                condition=Q(field_type__in=[t.value for t in FieldType]),
                name="form_field_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.label
