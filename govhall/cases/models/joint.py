"""Joint cases (联办件): each participating department's review task, and the meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.cases.statuses import TaskStatus
from govhall.org.models import Department


class JointTask(models.Model):
    """One participating department's review of a joint case, with its own deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_tasks")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    due_on = models.DateField(_("deadline"))
    opinion = models.TextField(_("opinion"), blank=True)
    agrees = models.BooleanField(_("agrees"), null=True, blank=True)
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
        ordering = ["case", "id"]
        verbose_name = _("joint review task")
        verbose_name_plural = _("joint review tasks")
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="joint_task_dept_idx"),
            models.Index(fields=["status", "due_on"], name="joint_task_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="joint_task_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done"]), name="joint_task_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.department}"


class JointProposal(models.Model):
    """The lead window's joint-handling proposal (联办意见) to the hall director, made before the
    joint review meeting (seeds/000… 篇5 五; issue 16 item 7)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_proposals")
    text = models.TextField(_("proposal"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "proposed_at", "id"]
        verbose_name = _("joint-handling proposal")
        verbose_name_plural = _("joint-handling proposals")

    def __str__(self) -> str:
        return f"{self.case} · {self.proposed_at:%Y-%m-%d}"


class JointMeeting(models.Model):
    """A joint review meeting called by the hall director (seeds/000… 篇5 联办件)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_meetings")
    # The lead window's proposal the director had before the meeting (issue 16 item 7).
    proposal = models.ForeignKey(
        JointProposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_at = models.DateTimeField(_("held at"))
    participants = models.TextField(_("participants"))
    conclusions = models.TextField(_("conclusions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "held_at", "id"]
        verbose_name = _("joint review meeting")
        verbose_name_plural = _("joint review meetings")

    def __str__(self) -> str:
        return f"{self.case} · {self.held_at:%Y-%m-%d}"
