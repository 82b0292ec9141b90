"""Which 一件事 bundles a staff user manages (issue 19 item 5): those of their center subtree,
for the managers of the catalog; anyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.catalog.access.scope import can_manage_catalog
from govhall.catalog.models import Bundle
from govhall.core.access import id_or_404
from govhall.org.access.scope import centers_in_scope, scope_of


def bundles_in_scope(user: object) -> QuerySet[Bundle]:
    if not can_manage_catalog(user):
        return Bundle.objects.none()
    bundles = Bundle.objects.select_related("center")
    if not scope_of(user).everything:
        bundles = bundles.filter(center__in=centers_in_scope(user))
    return bundles.order_by("center__path", "name", "id")


def access_bundle(user: object, bundle_id: object, *, for_write: bool = False) -> Bundle:
    """A bundle the user manages (reading or changing: only managers see the workbench's)."""
    try:
        return bundles_in_scope(user).get(pk=id_or_404(bundle_id))
    except Bundle.DoesNotExist:
        raise Http404 from None
