"""Pre-review of an online application by each department it concerns (issue 19 item 2):
抄告相关、同步预审 — a joint item's participating departments see the submission at once and
pre-review in parallel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.cases.statuses import PrereviewStatus
from govhall.org.models import Department


class PrereviewTask(models.Model):
    """One department's pre-review of a submitted online case (the lead's and each joint one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prereview_tasks")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("lead department"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PrereviewStatus.choices,
        default=PrereviewStatus.PENDING,
    )
    opinion = models.TextField(_("opinion"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "-is_lead", "id"]
        verbose_name = _("pre-review task")
        verbose_name_plural = _("pre-review tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"], name="prereview_task_case_dept_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PrereviewStatus]),
                name="prereview_task_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="prereview_task_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.department_id}"
