"""The staff item lists and pages of the workbench."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from govhall.catalog.access.scope import items_in_scope
from govhall.catalog.models import ItemWindow, ServiceItem, ServiceItemQuerySet
from govhall.core.models import Event
from govhall.org.models import Center, Department


def windows_prefetch() -> Prefetch:
    """An item's windows in number order, with the window."""
    return Prefetch(
        "item_windows",
        queryset=ItemWindow.objects.select_related("window").order_by("window__number"),
    )


def text_filter(q: str) -> Q:
    """Items whose name or code contains `q` (everything when it is blank)."""
    q = q.strip()
    return Q(name__icontains=q) | Q(code__icontains=q) if q else Q()


def _count_of(model_related: str) -> Coalesce:
    """A correlated count subquery: several counts without multiplying joined rows."""
    related = ServiceItem._meta.get_field(model_related).related_model
    counts = (
        related._default_manager.filter(item=OuterRef("pk"))  # type: ignore[union-attr]
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def workbench_items(
    user: object,
    *,
    q: str = "",
    center: Center | None = None,
    department: Department | None = None,
    item_type: str = "",
    published: bool | None = None,
) -> ServiceItemQuerySet:
    """The staff item list of the user's scope, with counts and windows prefetched."""
    items = items_in_scope(user).filter(text_filter(q))
    if center is not None:
        items = items.filter(center=center)
    if department is not None:
        items = items.filter(department=department)
    if item_type:
        items = items.filter(item_type=item_type)
    if published is not None:
        items = items.filter(is_active=published)
    return (
        items.select_related("center", "department")
        .annotate(material_count=_count_of("materials"), fee_count=_count_of("fees"))
        .prefetch_related(windows_prefetch())
        .order_by("center__path", "department__code", "code")
    )


def item_details(item: ServiceItem) -> ServiceItem:
    """The item again, with materials, fees, windows and joint departments prefetched."""
    return (
        ServiceItem.objects.select_related("center", "department")
        .prefetch_related(
            "materials", "fees", "joint_departments", "form_fields", windows_prefetch()
        )
        .get(pk=item.pk)
    )


def item_events(item: ServiceItem, limit: int = 20) -> list[Event]:
    return list(Event.objects.for_object(item).select_related("actor")[:limit])
