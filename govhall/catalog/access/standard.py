"""Who sees and reviews the item list across levels (issue 21 item 5): the managers of the
catalog, within their center subtree (the local item's center for a review); anyone else 404."""

from __future__ import annotations

from django.http import Http404

from govhall.catalog.access.scope import can_manage_catalog, items_in_scope
from govhall.catalog.models import ServiceItem, StandardReview
from govhall.core.access import id_or_404


def access_adoption(user: object, item_id: object, *, for_write: bool = False) -> ServiceItem:
    """A local item adopting a standard, in the user's scope."""
    if not can_manage_catalog(user):
        raise Http404
    try:
        return (
            items_in_scope(user)
            .select_related("center", "department", "standard", "standard__center")
            .get(pk=id_or_404(item_id), standard__isnull=False)
        )
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def access_standard_review(
    user: object, review_id: object, *, for_write: bool = False
) -> StandardReview:
    if not can_manage_catalog(user):
        raise Http404
    try:
        return StandardReview.objects.select_related("item", "item__center", "standard").get(
            pk=id_or_404(review_id), item__in=items_in_scope(user)
        )
    except StandardReview.DoesNotExist:
        raise Http404 from None
