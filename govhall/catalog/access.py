"""Who may see and change which catalog objects.

Items are scoped to the user's center subtree and, for department roles, to the items their
department leads or joins. Only hall managers change the catalog. Missing and forbidden both
raise Http404, so outsiders learn nothing.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem, ServiceItemQuerySet
from govhall.org.access import centers_in_scope, scope_of


def items_in_scope(user: object) -> ServiceItemQuerySet:
    scope = scope_of(user)
    if scope.everything:
        items = ServiceItem.objects.all()
    else:
        items = ServiceItem.objects.in_centers(centers_in_scope(user))
    if scope.department_id is not None:
        # A subquery, not a join: no duplicate rows and no DISTINCT needed.
        joined = ServiceItem.joint_departments.through.objects.filter(
            department_id=scope.department_id
        ).values("serviceitem_id")
        items = items.filter(Q(department_id=scope.department_id) | Q(pk__in=joined))
    return items


def can_manage_catalog(user: object) -> bool:
    return scope_of(user).can_manage


def _require_write(user: object, for_write: bool) -> None:
    if for_write and not can_manage_catalog(user):
        raise Http404


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404 from None


def access_item(user: object, item_id: object, *, for_write: bool = False) -> ServiceItem:
    _require_write(user, for_write)
    try:
        return items_in_scope(user).select_related("center", "department").get(pk=_pk(item_id))
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def access_material(user: object, material_id: object, *, for_write: bool = False) -> Material:
    _require_write(user, for_write)
    try:
        return Material.objects.select_related("item", "item__center").get(
            pk=_pk(material_id), item__in=items_in_scope(user)
        )
    except Material.DoesNotExist:
        raise Http404 from None


def access_fee(user: object, fee_id: object, *, for_write: bool = False) -> FeeItem:
    _require_write(user, for_write)
    try:
        return FeeItem.objects.select_related("item", "item__center").get(
            pk=_pk(fee_id), item__in=items_in_scope(user)
        )
    except FeeItem.DoesNotExist:
        raise Http404 from None


def access_item_window(
    user: object, item_window_id: object, *, for_write: bool = False
) -> ItemWindow:
    _require_write(user, for_write)
    try:
        return ItemWindow.objects.select_related("item", "item__center", "window").get(
            pk=_pk(item_window_id), item__in=items_in_scope(user)
        )
    except ItemWindow.DoesNotExist:
        raise Http404 from None
