"""Centers: the tree of halls (SPEC §3), their levels and opening hours."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class CenterLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")


# Depth of each level in the tree; a child is always exactly one level deeper... or more
# (a county may supervise a village room directly), never shallower.
LEVEL_RANK = {
    CenterLevel.PROVINCE: 1,
    CenterLevel.CITY: 2,
    CenterLevel.COUNTY: 3,
    CenterLevel.TOWN: 4,
    CenterLevel.VILLAGE: 5,
}


class CenterQuerySet(models.QuerySet["Center"]):
    def subtree_of(self, center: Center) -> CenterQuerySet:
        return self.filter(path__startswith=center.path)

    def active(self) -> CenterQuerySet:
        return self.filter(is_active=True)


class Center(TimeStampedModel):
    """A hall: 政务服务中心 (province…county), 便民服务中心 (town), 便民服务室 (village)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=CenterLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path "/<id>/<id>/…/" so a subtree is one indexed prefix filter.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # 政务公开 (issue 18 item 5): published on the disclosure pages and the portal home.
    complaint_phone = models.CharField(_("complaint phone"), max_length=32, blank=True)
    supervision_phone = models.CharField(_("supervision phone"), max_length=32, blank=True)
    morning_opens = models.TimeField(_("morning opens"), default=datetime.time(8, 30))
    morning_closes = models.TimeField(_("morning closes"), default=datetime.time(12, 0))
    afternoon_opens = models.TimeField(_("afternoon opens"), default=datetime.time(14, 30))
    afternoon_closes = models.TimeField(_("afternoon closes"), default=datetime.time(17, 30))
    early_arrival_minutes = models.PositiveSmallIntegerField(
        _("minutes staff arrive before opening"), default=10
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects: ClassVar[CenterQuerySet] = CenterQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["path"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["province", "city", "county", "town", "village"]),
                name="center_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(morning_opens__lt=models.F("morning_closes"))
                & Q(morning_closes__lte=models.F("afternoon_opens"))
                & Q(afternoon_opens__lt=models.F("afternoon_closes")),
                name="center_hours_ordered",
            ),
            models.CheckConstraint(
                condition=Q(early_arrival_minutes__lte=60), name="center_early_arrival_max_60"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def closing_time(self) -> datetime.time:
        return self.afternoon_closes
