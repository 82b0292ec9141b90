"""一件事一次办 bundles in the catalog (issue 19 item 5).

def bundle_save(*, actor, bundle=None, center, data, item_ids) -> Bundle
def bundle_publish(*, actor, bundle, published) -> Bundle

`data` keys: code, name, description, promised_days. `item_ids` in order: at least two
published items of the bundle's center, each once. The promise is at least one working day and
at most the longest legal limit among the items. Only the managers of the center subtree
change a bundle (`require_catalog_manager`; `actor` None is the system: the demo loader).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Bundle, BundleItem, ServiceItem
from govhall.catalog.services.changes import require_catalog_manager
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Center

CODE_MAX = Bundle._meta.get_field("code").max_length or 64
NAME_MAX = Bundle._meta.get_field("name").max_length or 200
DESCRIPTION_MAX = 4000


def _items(center: Center, item_ids: Sequence[object], errors: FieldErrors) -> list[ServiceItem]:
    ids: list[int] = []
    for raw in item_ids:
        try:
            pk = int(str(raw))
        except ValueError:
            errors.add("items", _("Choose items from the list."))
            return []
        if pk in ids:
            errors.add("items", _("Each item may be in the bundle only once."))
            return []
        ids.append(pk)
    found = {
        item.pk: item
        for item in ServiceItem.objects.filter(pk__in=ids, center=center, is_active=True)
    }
    if len(found) != len(ids):
        errors.add("items", _("Only published items of the bundle's center can be bundled."))
        return []
    if len(ids) < 2:
        errors.add("items", _("A bundle needs at least two items."))
        return []
    return [found[pk] for pk in ids]


@transaction.atomic
def bundle_save(
    *,
    actor: User | None,
    center: Center,
    data: Mapping[str, object],
    item_ids: Sequence[object],
    bundle: Bundle | None = None,
) -> Bundle:
    """Create a bundle of `center`, or change `bundle` (its center stays)."""
    if bundle is not None:
        bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
        center = bundle.center
    require_catalog_manager(actor, center.pk)
    errors = FieldErrors()
    code = errors.text("code", data.get("code"), max_length=CODE_MAX, required=_("Enter a code."))
    name = errors.text("name", data.get("name"), max_length=NAME_MAX, required=_("Enter a name."))
    description = errors.text("description", data.get("description"), max_length=DESCRIPTION_MAX)
    others = Bundle.objects.filter(code=code)
    if bundle is not None:
        others = others.exclude(pk=bundle.pk)
    if code and others.exists():
        errors.add("code", _("Another bundle already has this code."))
    items = _items(center, item_ids, errors)
    days = errors.whole_number(
        "promised_days",
        data.get("promised_days"),
        required=_("Enter the promised limit in working days."),
        minimum=1,
    )
    longest = max((item.legal_days for item in items), default=0)
    if days is not None and items and days > longest:
        errors.add(
            "promised_days",
            _("The promise may not exceed the longest legal limit of its items (%(days)d).")
            % {"days": longest},
        )
    errors.raise_if_any()
    created = bundle is None
    if bundle is None:
        bundle = Bundle(center=center)
    assert days is not None
    bundle.code, bundle.name, bundle.description = code, name, description
    bundle.promised_days = days
    bundle.save()
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        [BundleItem(bundle=bundle, item=item, position=i) for i, item in enumerate(items)]
    )
    record_event(
        actor=actor,
        action=CatalogEvent.BUNDLE_CREATE if created else CatalogEvent.BUNDLE_UPDATE,
        obj=bundle,
        center_id=center.pk,
        data={"code": code, "items": [item.pk for item in items], "promised_days": days},
    )
    return bundle


@transaction.atomic
def bundle_publish(*, actor: User | None, bundle: Bundle, published: bool) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    require_catalog_manager(actor, bundle.center_id)
    if published and BundleItem.objects.filter(bundle=bundle, item__is_active=False).exists():
        raise ValidationError(_("An item of this bundle is not published."))
    if bundle.is_active != published:
        bundle.is_active = published
        bundle.save(update_fields=["is_active", "updated_at"])
        record_event(
            actor=actor,
            action=CatalogEvent.BUNDLE_PUBLISH if published else CatalogEvent.BUNDLE_UNPUBLISH,
            obj=bundle,
            center_id=bundle.center_id,
        )
    return bundle
