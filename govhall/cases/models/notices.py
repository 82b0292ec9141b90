"""Notices: the printed documents given to the applicant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.cases.statuses import NoticeKind


class Notice(models.Model):
    """A printed document given to the applicant, with a QR code to the progress page.

    `content` keeps what the notice said when it was issued (materials, dates, reason, basis),
    so a later change to the case or the catalog never rewrites a paper already handed out.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("content"), default=dict)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("applicant confirmed at"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("confirmed by (applicant)"), max_length=100, blank=True)
    confirmation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmation recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "issued_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["case", "kind"], name="notice_case_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NoticeKind]), name="notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number
