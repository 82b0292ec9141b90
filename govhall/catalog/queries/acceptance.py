"""Which windows accept which item: the one home of the rule (issue 17 item 1).

A window accepts an item exactly when the catalog links them (`ItemWindow`, whatever the
authorization). Intake (`cases.services.intake`), the queue's call-next, a call by hand, a
transfer and the service groups all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from govhall.catalog.models import ItemWindow
from govhall.org.models import Window


def window_accepts(window_id: int, item_id: int | None) -> bool:
    """True when the window accepts the item; a matter without an item is accepted anywhere
    its line is called."""
    if item_id is None:
        return True
    return ItemWindow.objects.filter(window_id=window_id, item_id=item_id).exists()


def accepted_at_window(window_id: int, item_field: str = "item_id") -> Q:
    """A filter for rows (tickets, appointments) whose item `window_id` accepts, or that name
    no item: one correlated EXISTS, no joined rows."""
    isnull = f"{item_field.removesuffix('_id')}__isnull"
    return Q(**{isnull: True}) | Q(
        Exists(ItemWindow.objects.filter(window_id=window_id, item_id=OuterRef(item_field)))
    )


def windows_accepting(item_id: int, center_id: int) -> QuerySet[Window]:
    """The active windows of `center_id` that accept the item, in number order."""
    return Window.objects.filter(
        center_id=center_id, is_active=True, item_windows__item_id=item_id
    ).order_by("number")


def windows_serving_items(item_ids: Iterable[int]) -> QuerySet[Window]:
    """The active windows that accept at least one of the items."""
    return (
        Window.objects.filter(is_active=True, item_windows__item_id__in=list(item_ids))
        .distinct()
        .order_by("number")
    )


def item_window_pairs(item_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(item id, window id) of every link of the items (one query)."""
    return set(
        ItemWindow.objects.filter(item_id__in=list(item_ids)).values_list("item_id", "window_id")
    )
