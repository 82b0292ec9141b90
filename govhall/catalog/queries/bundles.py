"""一件事 bundles as the public and the intake see them (issue 19 item 5).

def public_bundles(center=None) -> QuerySet[Bundle]       # published, all items published
def bundle_items(bundle) -> list[ServiceItem]             # in the bundle's order
def merged_materials(bundle) -> list[MergedMaterial]      # one per material name
def merged_fields(bundle) -> list[FormField]              # one per field key
def bundle_refusal(bundle, *, online) -> str | None       # why it cannot be applied for
def bundles_at_window(window) -> list[Bundle]             # published, every item served there

The merged set: a material asked by several items under the same name is asked once; its
`representative` (the first item's material) stands for it in drafts and intake forms, and
`members` are the materials of every item it is copied to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from govhall.catalog.models import (
    Bundle,
    BundleItem,
    FormField,
    ItemWindow,
    Material,
    ServiceItem,
)
from govhall.catalog.queries.online_forms import online_refusal
from govhall.org.models import Center, Window


@dataclass
class MergedMaterial:
    name: str
    representative: Material
    members: list[Material] = field(default_factory=list)

    @property
    def required(self) -> bool:
        """Asked without a condition by at least one item."""
        return any(not m.condition for m in self.members)

    @property
    def item_names(self) -> list[str]:
        return [m.item.name for m in self.members]


def public_bundles(center: Center | None = None) -> QuerySet[Bundle]:
    hidden = BundleItem.objects.filter(bundle=OuterRef("pk"), item__is_active=False)
    bundles = Bundle.objects.filter(is_active=True, center__is_active=True).exclude(Exists(hidden))
    if center is not None:
        bundles = bundles.filter(center=center)
    return bundles.select_related("center").order_by("center__path", "name", "id")


def bundle_items(bundle: Bundle) -> list[ServiceItem]:
    return [
        row.item
        for row in BundleItem.objects.filter(bundle=bundle)
        .select_related("item", "item__center", "item__department")
        .order_by("position", "id")
    ]


def merged_materials(bundle: Bundle) -> list[MergedMaterial]:
    order = {item.pk: i for i, item in enumerate(bundle_items(bundle))}
    materials = sorted(
        Material.objects.filter(item_id__in=order).select_related("item"),
        key=lambda m: (order[m.item_id], m.position, m.pk),
    )
    merged: dict[str, MergedMaterial] = {}
    for material in materials:
        key = material.name.strip()
        entry = merged.setdefault(key, MergedMaterial(name=key, representative=material))
        entry.members.append(material)
    return list(merged.values())


def merged_fields(bundle: Bundle) -> list[FormField]:
    order = {item.pk: i for i, item in enumerate(bundle_items(bundle))}
    fields = sorted(
        FormField.objects.filter(item_id__in=order),
        key=lambda f: (order[f.item_id], f.position, f.pk),
    )
    seen: dict[str, FormField] = {}
    for form_field in fields:
        if form_field.key in seen:
            if form_field.required:  # required by any item: required once
                seen[form_field.key].required = True
            continue
        seen[form_field.key] = form_field
    return list(seen.values())


def bundle_refusal(bundle: Bundle, *, online: bool) -> str | None:
    """The one rule for pages, API and services: a published bundle of published items (each
    offered online, for an online application)."""
    if not bundle.is_active:
        return _("This bundle is not published.")
    for item in bundle_items(bundle):
        refusal = online_refusal(item) if online else None
        if not item.is_active:
            refusal = _("This item is not published.")
        if refusal:
            return f"{item.name}: {refusal}"
    return None


def bundles_at_window(window: Window) -> list[Bundle]:
    """The published bundles of the window's center whose every item the window serves (the
    workbench intake offers them instead of a single item)."""
    unserved = BundleItem.objects.filter(bundle=OuterRef("pk")).exclude(
        Exists(ItemWindow.objects.filter(item=OuterRef("item"), window=window))
    )
    return list(public_bundles(window.center).exclude(Exists(unserved)))
