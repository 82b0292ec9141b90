"""Applicants: citizens and enterprises, one row per identity number."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.statuses import ApplicantKind


class Applicant(models.Model):
    """A citizen (ID number, GB 11643) or an enterprise (统一社会信用代码, GB 32100).

    One row per identity number; intake updates the name and contact details it was given.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ApplicantKind.choices)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number / unified social credit code"), max_length=18)
    phone = models.CharField(_("mobile phone"), max_length=20)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="applicant_id_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "enterprise"]), name="applicant_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="applicant_phone_idx")]

    def __str__(self) -> str:
        return self.name
