"""The annual assessment decided by the hall (seeds/002… 二3: 窗口工作人员的年度考核主要由大厅
管理部门负责) and the reports the hall sends to the departments (seeds/002… 二3
每半年向派驻部门通报一次; 六4 考勤情况每月通报一次), issue 21 item 1b."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.assessment.grading import Grade
from govhall.org.models import Center, Department


class AnnualResult(models.Model):
    """The year's result of one person, recorded by a hall manager: the proposal (the average
    of the published monthly sheets and the seeds' rules) and the grade decided."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="annual_results",
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    proposed_grade = models.CharField(_("proposed grade"), max_length=12, choices=Grade.choices)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-year", "person__username"]
        verbose_name = _("annual assessment result")
        verbose_name_plural = _("annual assessment results")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="annual_result_once"),
            models.CheckConstraint(
                condition=Q(grade__in=["excellent", "pass", "fail"])
                & Q(proposed_grade__in=["excellent", "pass", "fail"]),
                name="annual_result_grade_valid",
            ),
        ]
        indexes = [models.Index(fields=["center", "year"], name="annual_result_center_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year} {self.get_grade_display()}"


class ReportKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Half-yearly report on the window staff")
    ATTENDANCE = "attendance", _("Monthly attendance report")


class DepartmentReport(models.Model):
    """A report sent to a department: which, for which period, by whom and when."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    # The first day of the period: a month, or 1 January / 1 July for a half-year.
    period = models.DateField(_("period"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("report to a department")
        verbose_name_plural = _("reports to departments")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "period"], name="department_report_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["half_year", "attendance"]),
                name="department_report_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.kind} {self.period}"
