"""The materials of a case: the item's list as checked at intake, and anything pending."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.catalog.models import Material


class CaseMaterial(models.Model):
    """A material of the case: the item's list as checked at intake, and anything pending."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    is_main = models.BooleanField(_("main material"), default=True)
    received = models.BooleanField(_("received"), default=False)
    form = models.CharField(
        _("form"), max_length=16, choices=Material.Form.choices, default=Material.Form.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # Green channel (容缺受理): accepted with this material pending until `due_on`.
    pending = models.BooleanField(_("pending (green channel)"), default=False)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # A conditional material whose condition does not hold for this applicant: not missing.
    not_applicable = models.BooleanField(_("condition does not apply"), default=False)
    # Reused from a verified earlier case of the same applicant (shown as such at intake).
    reused_from = models.ForeignKey(
        Case,
        verbose_name=_("reused from case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The material as a file (uploaded online, issue 19 item 2), under MEDIA_ROOT, served only
    # through access-checked views; its type judged by content.
    file = models.FileField(_("file"), upload_to="cases/materials/%Y/%m/", blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Offered from the applicant's library instead of a new file (issue 19 item 4) …
    library_entry = models.ForeignKey(
        "cases.ApplicantMaterial",
        verbose_name=_("from the material library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # … or stood for by an electronic licence the applicant holds.
    licence = models.ForeignKey(
        "cases.ElectronicLicence",
        verbose_name=_("electronic licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["original", "copy", "both"]),
                name="case_material_form_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
