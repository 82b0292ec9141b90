"""The applicant's material library (issue 19 item 4): materials accepted on a case, kept to be
offered again instead of a new upload or paper copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.applicants import Applicant
from govhall.cases.models.case import Case
from govhall.catalog.models import Material


class ApplicantMaterial(models.Model):
    """A material of `applicant` verified by a clerk on `case` (when, by whom), with its file
    when it came as one. Files live under MEDIA_ROOT (never served directly)."""

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="library", verbose_name=_("applicant")
    )
    name = models.CharField(_("name"), max_length=200)
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="library/%Y/%m/", blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    verified_on_case = models.ForeignKey(
        Case,
        verbose_name=_("verified on case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Until when the material may be reused (an ID card's validity, a certificate's term).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["applicant", "name", "-verified_at", "id"]
        verbose_name = _("library material")
        verbose_name_plural = _("library materials")
        indexes = [
            models.Index(fields=["applicant", "name"], name="library_applicant_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name
