"""Windows (counters) and the A/B posts at them (SPEC §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel
from govhall.org.models.centers import Center
from govhall.org.models.departments import Department


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
    # 授权人 (seeds/001… AB岗 四3): the department's authorizing official, the last cover when A,
    # B and the window head / chief representative are all away (issue 16 item 4).
    authorizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authorizer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorized_windows",
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    # 代办窗口 (issue 19 item 6): where the hall's agents take in cases on applicants' behalf.
    is_agency = models.BooleanField(_("agency window"), default=False)
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
