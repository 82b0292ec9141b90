"""Reading a sorted list one page at a time: the page's ids first, then those rows.

A list page shows 50 rows of a filter that may match thousands (a department's near-due cases at a
province's volume). Asked for "the first 50 with their related columns" in one query, PostgreSQL
joins the related tables (applicant, item, window …) for every matching row before its top-N sort;
at 1,000,000 cases that join is most of the time (bench/cases.py, "lists"). `IdsFirst` sorts and
cuts on the main table alone — `SELECT id … ORDER BY … LIMIT 50`, answered from its indexes and
rows — and then reads those 50 rows with everything the queryset asks for (select_related,
prefetch, annotations) by primary key, in the same order.

It is what Django's Paginator and django-ninja's pagination expect of a list: `count()`, `len()`
and slicing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar, overload

from django.db import models

M = TypeVar("M", bound=models.Model)


class IdsFirst(Generic[M]):
    """A sorted queryset read page by page, ids first (see the module's docstring)."""

    def __init__(self, queryset: models.QuerySet[M]) -> None:
        self.queryset = queryset

    def all(self) -> IdsFirst[M]:  # django-ninja counts `queryset.all().count()`
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:  # the whole list; pages slice instead
        return iter(self.queryset)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        if not ids:
            return []
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
