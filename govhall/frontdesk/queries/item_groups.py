"""The queue groups that serve a catalog item (issue 17 item 9): the public guide links the
citizen to booking at them and names them as the kiosk button to touch."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from govhall.catalog.models import ServiceItem
from govhall.frontdesk.models import ServiceGroup


def groups_for_item(item: ServiceItem) -> list[ServiceGroup]:
    """The active groups of the item's center that list it among their items; when none does,
    the center's active groups of its department that list no item at all (the plain
    department lines "build from the windows' items" makes). In calling-board order; one query."""
    links = ServiceGroup.items.through.objects.filter(servicegroup_id=OuterRef("pk"))
    groups: list[ServiceGroup] = list(
        ServiceGroup.objects.filter(center_id=item.center_id, is_active=True)
        .annotate(
            lists_item=Exists(links.filter(serviceitem_id=item.pk)),
            lists_any=Exists(links),
        )
        .filter(Q(lists_item=True) | Q(department_id=item.department_id, lists_any=False))
        .order_by("position", "letter")
    )
    listed = [group for group in groups if getattr(group, "lists_item", False)]
    return listed or groups
