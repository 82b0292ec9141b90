"""Conduct (issue 21 item 3; seeds/000… 篇1 第二章, 四5–6, seeds/002… 四(一)–(三)): the center's
published code (polite phrases, forbidden phrases, 八不准 / 十条禁令, dress), read and
acknowledged by new staff and usable as patrol checklist points; hall-issued badges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class ConductSection(models.TextChoices):
    POLITE = "polite", _("Polite phrases")  # 文明用语
    FORBIDDEN = "forbidden", _("Forbidden phrases")  # 服务忌语
    BANS = "bans", _("Prohibitions")  # 八不准 / 十条禁令
    DRESS = "dress", _("Dress and badge")  # 着装、佩戴工作牌


class ConductRule(TimeStampedModel):
    """One line of a center's code of conduct."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.CharField(_("section"), max_length=10, choices=ConductSection.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)
    # Offered to the patrol as a checklist point (巡查要点).
    is_patrol_point = models.BooleanField(_("patrol checklist point"), default=False)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["center", "section", "position", "id"]
        verbose_name = _("code of conduct line")
        verbose_name_plural = _("code of conduct")
        indexes = [models.Index(fields=["center", "is_active"], name="conduct_center_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=["polite", "forbidden", "bans", "dress"]),
                name="conduct_section_valid",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ConductCode(models.Model):
    """The published state of a center's code: its revision goes up on each publication, and
    staff acknowledge a revision (new staff before their first post)."""

    center = models.OneToOneField(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The lines as published (what staff and the public read; the rules are the draft):
    # [{"id", "section", "text", "patrol"}] in section order.
    lines = models.JSONField(_("published lines"), default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("published code of conduct")
        verbose_name_plural = _("published codes of conduct")

    def __str__(self) -> str:
        return f"{self.center} r{self.revision}"


class ConductAcknowledgement(models.Model):
    """A staff member read the code of a center at a revision (学习承诺)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(_("revision"))
    acknowledged_at = models.DateTimeField(_("read at"))

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("code of conduct read")
        verbose_name_plural = _("codes of conduct read")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "center", "revision"], name="conduct_ack_once_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} r{self.revision}"


class Badge(TimeStampedModel):
    """A hall-issued work badge (工作牌): one number per person and center, printable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("badge number"), max_length=20)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["center", "number"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="badge_number_unique"),
            models.UniqueConstraint(
                fields=["user", "center"],
                condition=Q(withdrawn_on__isnull=True),
                name="badge_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.number
