"""一件事 applications (issue 19 item 5): the linked cases of one bundle application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.applicants import Applicant
from govhall.catalog.models import Bundle
from govhall.org.models import Center


class CaseBundle(models.Model):
    """One application for a bundle: its cases (`cases`) are created together, atomically, and
    tracked and shown together; the bundle's promise runs from the first acceptance."""

    number = models.CharField(_("application number"), max_length=48, unique=True)
    bundle = models.ForeignKey(
        Bundle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("bundle")
    )
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    applicant = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        related_name="bundle_applications",
        verbose_name=_("applicant"),
    )
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    promised_due_on = models.DateField(_("promised deadline"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("one-thing application")
        verbose_name_plural = _("one-thing applications")
        indexes = [models.Index(fields=["applicant", "received_at"], name="bundle_app_idx")]

    def __str__(self) -> str:
        return self.number
