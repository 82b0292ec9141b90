"""Electronic licences (电子证照, issue 19 item 4): issued when an approved case is delivered,
verified publicly by QR code, accepted as a material by the items that require them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.applicants import Applicant
from govhall.cases.models.case import Case
from govhall.catalog.models import ServiceItem
from govhall.org.models import Department


class ElectronicLicence(models.Model):
    """The electronic licence of an approved case: holder, item, number, validity, issuer, and
    a unique identifier in the spirit of GB/T 36904 (issuer code, licence type, serial, check
    character). `verify_token` is the unguessable part of the public verification address."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="licence", verbose_name=_("case")
    )
    holder = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="licences", verbose_name=_("holder")
    )
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="licences", verbose_name=_("item")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name=_("issuing department"),
    )
    name = models.CharField(_("licence name"), max_length=200)
    number = models.CharField(_("licence number"), max_length=64, unique=True)
    identifier = models.CharField(_("licence identifier"), max_length=64, unique=True)
    verify_token = models.CharField(max_length=43, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("electronic licence")
        verbose_name_plural = _("electronic licences")
        indexes = [
            models.Index(fields=["holder", "item"], name="licence_holder_item_idx"),
            models.Index(fields=["valid_until"], name="licence_valid_until_idx"),
        ]

    def __str__(self) -> str:
        return self.number
