"""One loader per catalog object kind: the object when the user may see it (and change it, with
`for_write`), else Http404, so outsiders learn nothing."""

from __future__ import annotations

from django.http import Http404

from govhall.catalog.access.scope import can_manage_catalog, items_in_scope
from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem
from govhall.core.access import id_or_404


def _require_write(user: object, for_write: bool) -> None:
    if for_write and not can_manage_catalog(user):
        raise Http404


def access_item(user: object, item_id: object, *, for_write: bool = False) -> ServiceItem:
    _require_write(user, for_write)
    try:
        return (
            items_in_scope(user).select_related("center", "department").get(pk=id_or_404(item_id))
        )
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def access_material(user: object, material_id: object, *, for_write: bool = False) -> Material:
    _require_write(user, for_write)
    try:
        return Material.objects.select_related("item", "item__center").get(
            pk=id_or_404(material_id), item__in=items_in_scope(user)
        )
    except Material.DoesNotExist:
        raise Http404 from None


def access_fee(user: object, fee_id: object, *, for_write: bool = False) -> FeeItem:
    _require_write(user, for_write)
    try:
        return FeeItem.objects.select_related("item", "item__center").get(
            pk=id_or_404(fee_id), item__in=items_in_scope(user)
        )
    except FeeItem.DoesNotExist:
        raise Http404 from None


def access_item_window(
    user: object, item_window_id: object, *, for_write: bool = False
) -> ItemWindow:
    _require_write(user, for_write)
    try:
        return ItemWindow.objects.select_related("item", "item__center", "window").get(
            pk=id_or_404(item_window_id), item__in=items_in_scope(user)
        )
    except ItemWindow.DoesNotExist:
        raise Http404 from None
