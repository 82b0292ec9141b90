"""Raising a standard item's revision when a governed field changes (issue 21 item 5).

Called by the one place each part of an item is edited (`items.item_update`, the material
services) inside their transaction. Each item adopting the standard gets one pending review
(`StandardReview`); a pending one is extended (its target revision and changed fields), so a
local director reviews the sum of the changes once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import ReviewState, ServiceItem, StandardReview
from govhall.catalog.standard_rules import revision_fields
from govhall.core.events import record_event
from govhall.core.models import User


def standard_revise(
    *,
    actor: User | None,
    item: ServiceItem,
    changed: Iterable[str],
    added_material_ids: Iterable[int] = (),
) -> int | None:
    """Raise `item`'s revision when `changed` names a governed field; the new revision, or None
    when nothing governed changed (or `item` is itself an adoption, never a standard)."""
    fields = revision_fields(changed)
    if not fields or item.standard_id is not None:
        return None
    ServiceItem.objects.filter(pk=item.pk).update(revision=F("revision") + 1)
    revision = ServiceItem.objects.values_list("revision", flat=True).get(pk=item.pk)
    item.revision = revision
    added = list(added_material_ids)
    reviews: list[int] = []
    for local in ServiceItem.objects.select_for_update().filter(standard=item).order_by("pk"):
        review = (
            StandardReview.objects.select_for_update()
            .filter(item=local, state=ReviewState.PENDING)
            .first()
        )
        if review is None:
            review = StandardReview(
                item=local,
                standard=item,
                from_revision=local.standard_revision or 0,
                to_revision=revision,
                changed_fields=fields,
                added_materials=added,
            )
        else:
            review.to_revision = revision
            review.changed_fields = revision_fields([*review.changed_fields, *fields])
            review.added_materials = [*review.added_materials, *added]
        review.save()
        reviews.append(review.pk)
    record_event(
        actor=actor,
        action=CatalogEvent.STANDARD_REVISE,
        obj=item,
        center_id=item.center_id,
        data={"revision": revision, "changed": fields, "reviews": reviews},
    )
    return revision
