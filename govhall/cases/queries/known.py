"""What an intake already knows about the case it is creating (issue 20 item 3: leaner intake).

`case_receive` inserts the case and its materials, then takes the acceptance (or supplement,
return…) through the action engine, which issues notices and keeps the library in the same
transaction. Each of those used to read the case's materials and notices again. The intake
hands them over instead, as Django's own prefetch cache on the case object (`remember_new`):
the rows it just inserted and "no notice yet". `case.materials.all()` / `case.notices.all()`
then answer without a query; `.filter(…)` still asks the database (same rows).

Readers go through `case_materials_of` and `case_notices_of`, which read the database when
nothing is known. `notice_issue` adds the notice it creates to the known ones (`note_notice`).
`forget` drops everything when the intake ends: a case object handed back to a caller is
never answered from memory in a later transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from govhall.cases.models import Case, CaseMaterial, Notice

_NEW = "_govhall_new_case"


def _cached(queryset: QuerySet[Any], rows: list[Any]) -> QuerySet[Any]:
    queryset._result_cache = rows
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def remember_new(case: Case, materials: list[CaseMaterial]) -> None:
    """`case` was inserted in this transaction with exactly `materials` and no notice."""
    case._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "materials": _cached(case.materials.all(), list(materials)),
        "notices": _cached(case.notices.all(), []),
    }
    setattr(case, _NEW, True)


def forget(case: Case) -> None:
    case._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    if hasattr(case, _NEW):
        delattr(case, _NEW)


def is_new(case: Case) -> bool:
    """Whether `case` was inserted by the running intake (nothing else refers to it yet)."""
    return bool(getattr(case, _NEW, False))


def _known(case: Case, name: str) -> QuerySet[Any] | None:
    cache = getattr(case, "_prefetched_objects_cache", None) or {}
    return cache.get(name)


def case_materials_of(case: Case) -> list[CaseMaterial]:
    """The case's materials in their order (position, id)."""
    known = _known(case, "materials")
    if known is not None:
        return sorted(known, key=lambda row: (row.position, row.pk))
    return list(CaseMaterial.objects.filter(case_id=case.pk).order_by("position", "id"))


def case_notices_of(case: Case) -> list[Notice] | None:
    """The case's notices when the intake knows them (oldest first), else None: ask."""
    known = _known(case, "notices")
    return None if known is None else list(known)


def note_notice(case: Case, notice: Notice) -> None:
    """A notice was just issued on `case`: add it to the known ones (if any are known)."""
    known = _known(case, "notices")
    if known is not None and known._result_cache is not None:
        known._result_cache.append(notice)
