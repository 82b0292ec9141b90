"""Reading the catalog: public guides and the staff lists. A fixed number of queries each."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from govhall.catalog.access import items_in_scope
from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem, ServiceItemQuerySet
from govhall.core.models import Event
from govhall.org.models import Center, Department


def _windows_prefetch() -> Prefetch:
    return Prefetch(
        "item_windows",
        queryset=ItemWindow.objects.select_related("window").order_by("window__number"),
    )


def _text_filter(q: str) -> Q:
    q = q.strip()
    return Q(name__icontains=q) | Q(code__icontains=q) if q else Q()


# --- public ---------------------------------------------------------------------------------------


def public_centers() -> QuerySet[Center]:
    return Center.objects.active().only("pk", "code", "name", "path", "level")


def public_departments(center: Center | None = None) -> QuerySet[Department]:
    """Departments with at least one published item, for the guide search form."""
    departments = Department.objects.filter(
        is_active=True, center__is_active=True, items__is_active=True
    )
    if center is not None:
        departments = departments.filter(center=center)
    return departments.select_related("center").distinct().order_by("center__path", "code")


def guide_search(
    center: Center | None = None,
    q: str = "",
    department: Department | int | None = None,
    item_type: str | None = None,
    *,
    department_code: str = "",
) -> ServiceItemQuerySet:
    """Published items of active centers for the public guide list (all centers by default)."""
    items = ServiceItem.objects.active().filter(center__is_active=True)
    if center is not None:
        items = items.filter(center=center)
    items = items.filter(_text_filter(q))
    if department is not None:
        items = items.filter(
            department_id=department.pk if isinstance(department, Department) else department
        )
    if department_code:
        items = items.filter(department__code=department_code)
    if item_type:
        items = items.filter(item_type=item_type)
    return items.select_related("center", "department").order_by(
        "center__path", "department__code", "code"
    )


def published_guide(code: str) -> ServiceItem:
    """One published item with everything its guide page shows (raises DoesNotExist)."""
    return (
        ServiceItem.objects.active()
        .filter(center__is_active=True)
        .select_related("center", "department")
        .prefetch_related("materials", "fees", "joint_departments", _windows_prefetch())
        .get(code=code)
    )


# --- workbench ------------------------------------------------------------------------------------


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
    items = items_in_scope(user).filter(_text_filter(q))
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
        .prefetch_related(_windows_prefetch())
        .order_by("center__path", "department__code", "code")
    )


def item_details(item: ServiceItem) -> ServiceItem:
    """The item again, with materials, fees, windows and joint departments prefetched."""
    return (
        ServiceItem.objects.select_related("center", "department")
        .prefetch_related("materials", "fees", "joint_departments", _windows_prefetch())
        .get(pk=item.pk)
    )


def item_events(item: ServiceItem, limit: int = 20) -> list[Event]:
    return list(Event.objects.for_object(item).select_related("actor")[:limit])


# --- spreadsheet export: one streamed query per sheet, no per-item queries ---------------------


def export_items(center: Center) -> Iterator[ServiceItem]:
    return (
        ServiceItem.objects.filter(center=center)
        .select_related("department")
        .order_by("department__code", "code")
        .iterator(chunk_size=2000)
    )


def export_joint_codes(center: Center) -> dict[int, list[str]]:
    """Joint department codes per item id."""
    through = ServiceItem.joint_departments.through
    codes: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(serviceitem__center=center)
        .order_by("serviceitem_id", "department__code")
        .values_list("serviceitem_id", "department__code")
    )
    for item_id, code in rows.iterator(chunk_size=2000):
        codes.setdefault(item_id, []).append(code)
    return codes


def export_materials(center: Center) -> Iterator[tuple[str, Material]]:
    materials = (
        Material.objects.filter(item__center=center)
        .select_related("item")
        .only("item__code", "position", "name", "is_main", "form", "copies", "source", "note")
        .order_by("item__department__code", "item__code", "position", "id")
    )
    for material in materials.iterator(chunk_size=2000):
        yield material.item.code, material


def export_fees(center: Center) -> Iterator[tuple[str, FeeItem]]:
    fees = (
        FeeItem.objects.filter(item__center=center)
        .select_related("item")
        .only("item__code", "name", "standard_amount", "unit", "standard_basis")
        .order_by("item__department__code", "item__code", "id")
    )
    for fee in fees.iterator(chunk_size=2000):
        yield fee.item.code, fee


def export_item_windows(center: Center) -> Iterator[tuple[str, int, str]]:
    return (
        ItemWindow.objects.filter(item__center=center)
        .order_by("item__department__code", "item__code", "window__number")
        .values_list("item__code", "window__number", "authorization")
        .iterator(chunk_size=2000)
    )
