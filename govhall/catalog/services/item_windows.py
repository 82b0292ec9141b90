"""Which windows serve an item, with how far each may decide (授权方式).

A window serving an item belongs to the item's center and is open.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Authorization, ItemWindow, ServiceItem
from govhall.catalog.services.changes import require_catalog_manager
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Window


def window_errors(item: ServiceItem, window: Window, authorization: str) -> FieldErrors:
    errors = FieldErrors()
    if window.center_id != item.center_id:
        errors.add(
            "window",
            _("Window %(number)d is not in the item's center.") % {"number": window.number},
        )
    elif not window.is_active:
        errors.add("window", _("Window %(number)d is closed.") % {"number": window.number})
    errors.choice(
        "authorization",
        authorization,
        Authorization.values,
        message=_("Choose full, partial or limited authorization."),
    )
    return errors


@transaction.atomic
def item_window_set(
    *, actor: User | None, item: ServiceItem, window: Window, authorization: str
) -> ItemWindow:
    """Let `window` serve `item` with the given authorization (adds or changes the link)."""
    require_catalog_manager(actor, item.center_id)
    window_errors(item, window, authorization).raise_if_any()
    link, created = ItemWindow.objects.select_for_update().get_or_create(
        item=item, window=window, defaults={"authorization": authorization}
    )
    previous = None if created else link.authorization
    if not created and link.authorization != authorization:
        link.authorization = authorization
        link.save(update_fields=["authorization"])
    if created or previous != authorization:
        record_event(
            actor=actor,
            action=CatalogEvent.ITEM_WINDOW_SET,
            obj=item,
            center_id=item.center_id,
            data={
                "window": window.pk,
                "number": window.number,
                "authorization": authorization,
                "previous": previous,
            },
        )
    return link


@transaction.atomic
def item_window_remove(*, actor: User | None, item: ServiceItem, window: Window) -> None:
    require_catalog_manager(actor, item.center_id)
    deleted, _rows = ItemWindow.objects.filter(item=item, window=window).delete()
    if deleted:
        record_event(
            actor=actor,
            action=CatalogEvent.ITEM_WINDOW_REMOVE,
            obj=item,
            center_id=item.center_id,
            data={"window": window.pk, "number": window.number},
        )
