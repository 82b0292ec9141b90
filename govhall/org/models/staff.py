"""Staff: where a user works (SPEC §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel
from govhall.org.models.centers import Center
from govhall.org.models.departments import Department


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
    # 工号: shown to the citizen on the window's rating screen (评价器) with the name.
    staff_number = models.CharField(_("staff number"), max_length=20, blank=True)
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
