"""Keeps the table of the departments involved in each case (`CaseDepartment`, issue 20 item 5)
current: the ONE function that writes it. Called in the same transaction by whatever makes a
department part of a case:

- intake (`govhall.cases.services.intake._create_case`, window and online, bundles included):
  the case's own department, as lead;
- `joint_tasks_start`: each participating department of a joint case;
- `prereview_tasks_open`: each participating department pre-reviewing an online joint item.

Nothing removes a department from a case today (tasks are completed, never deleted; a case's
department never changes); deleting a case deletes its rows (CASCADE).
"""

from __future__ import annotations

from collections.abc import Iterable

from govhall.cases.models import CaseDepartment


def case_departments_add(
    *, case_id: int, department_ids: Iterable[int], lead_id: int | None = None
) -> None:
    """Record that these departments take part in the case (one INSERT; those already recorded
    are left as they are). `lead_id` is the case's own department when it is among them."""
    rows = [
        CaseDepartment(case_id=case_id, department_id=pk, is_lead=pk == lead_id)
        for pk in dict.fromkeys(department_ids)
    ]
    if rows:
        CaseDepartment.objects.bulk_create(rows, ignore_conflicts=True)
