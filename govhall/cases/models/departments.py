"""The departments involved in each case (issue 20 item 5): the case's own (lead) department
and every other one that takes part — a joint review task (联办) or a pre-review task of an
online joint item (同步预审). "A department's cases" (`govhall.cases.access.cases.
department_cases`) is then its own cases (the case table's index) or the short list of the
others read from this table's index, instead of an OR over the case's department and the task
tables that no index could answer.

Rows are written only by `govhall.cases.services.departments.case_departments_add`, which the
services that create cases and tasks call; a case's department never changes, tasks are never
removed. Migration 0010 filled it for the cases that existed before.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models.case import Case
from govhall.org.models import Department


class CaseDepartment(models.Model):
    """One department involved in one case."""

    # The unique (case, department) index serves lookups by case: no index of its own.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="involved_departments", db_index=False
    )
    # Served by the (department, case) index below.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_lead = models.BooleanField(_("lead department"), default=False)

    class Meta:
        ordering = ["case_id", "-is_lead", "department_id"]
        verbose_name = _("department involved")
        verbose_name_plural = _("departments involved")
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="case_department_unique"),
        ]
        indexes = [
            # The cases a department takes part in without leading them: one short index
            # range, read without the table (its own cases are the case table's
            # (department, status, promised due date) index).
            models.Index(
                fields=["department", "case"],
                name="case_department_joint_idx",
                condition=Q(is_lead=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.department_id}"
