"""Centers, departments, windows, posts and staff (SPEC §3)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
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


class Department(TimeStampedModel):
    """A department stationed in a center (进驻部门)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "code"], name="department_code_unique_in_center"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Window(TimeStampedModel):
    """A numbered counter (窗口). It serves one or more departments' items."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), related_name="windows", blank=True
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("window head / chief representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_windows",
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "number"], name="window_number_unique_in_center"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"


class Post(TimeStampedModel):
    """A post at a window held by A staff and covered by B staff (AB岗)."""

    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.CASCADE, related_name="posts"
    )
    name = models.CharField(_("post name"), max_length=100)
    a_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("A staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="a_posts",
    )
    b_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("B staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="b_posts",
    )

    class Meta:
        ordering = ["window", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=Q(a_staff__isnull=True)
                | Q(b_staff__isnull=True)
                | ~Q(a_staff=models.F("b_staff")),
                name="post_a_and_b_differ",
            ),
            # A person holds at most one A post (services check first with a clear message).
            models.UniqueConstraint(fields=["a_staff"], name="post_one_a_post_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.window} · {self.name}"


class Staff(TimeStampedModel):
    """Where a user works: their center and, for department staff, their department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("job title"), max_length=64, blank=True)
    is_window_staff = models.BooleanField(
        _("window staff"),
        default=False,
        help_text=_("Only window staff may hold a post at a window."),
    )

    class Meta:
        ordering = ["center", "department", "user__username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return str(self.user)
