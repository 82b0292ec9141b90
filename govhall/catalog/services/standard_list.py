"""One item list across levels (issue 21 item 5, seeds/000… 篇2 二(二)): a town or village adopts
the county's standard items, restores an omitted material, and reviews a change of a standard.

- Adopting copies the standard's governed fields and materials into a new item of the local
  center: code `<standard code>-<center code>`, the department the director picks among the
  local center's own (a town rarely has the county's department: its 综合窗口 office takes it),
  place and phone of the local center, no windows and no joint departments (local fields).
- Local deviations go through the ordinary item and material services, which ask the rule
  (`govhall.catalog.standard_rules`): shorter limits, omitted materials.
- A review (`REVIEW_TRANSITIONS`): apply copies the changed fields and the material list of the
  standard (omitted materials stay omitted, new ones are added, removed ones go); keep is only
  allowed while the local item keeps the rule against the changed standard. Either way the
  local item has reviewed the standard's current revision.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Material, ServiceItem, StandardReview
from govhall.catalog.queries.standard_list import ADOPTING_LEVELS, county_of
from govhall.catalog.services.changes import require_catalog_manager
from govhall.catalog.services.items import item_create, item_update
from govhall.catalog.standard_rules import (
    GOVERNED_FIELDS,
    MATERIAL_GOVERNED_FIELDS,
    MATERIALS,
    field_deviation,
    governed_values,
    material_deviation_errors,
    material_values,
    standard_deviation_errors,
)
from govhall.catalog.standard_transitions import (
    DEVIATION_ALLOWED,
    REVIEW_TRANSITIONS,
    ReviewAction,
)
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, StateRefusal, refusal_error
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department


def adopted_code(standard: ServiceItem, center: Center) -> str:
    return f"{standard.code}-{center.code}"


def _copy_material(item: ServiceItem, theirs: Material, position: int) -> Material:
    return Material(
        item=item,
        position=position,
        standard_material=theirs,
        source=theirs.source,
        note=theirs.note,
        licence_item=theirs.licence_item,
        **material_values(theirs),
    )


@transaction.atomic
def standard_adopt(
    *,
    actor: User | None,
    center: Center,
    standards: Sequence[ServiceItem],
    department: Department | None,
) -> list[ServiceItem]:
    """Adopt the county's standard items into `center` (a town or a village), each as a local
    copy led by `department` (one of the center's own)."""
    require_catalog_manager(actor, center.pk)
    county = county_of(center)
    if center.level not in ADOPTING_LEVELS or county is None:
        raise ValidationError(
            {"center": [_("Only a town or village center adopts the county's standard items.")]}
        )
    if not standards:
        raise ValidationError({"items": [_("Choose at least one standard item to adopt.")]})
    if department is None or department.center_id != center.pk:
        raise ValidationError(
            {"department": [_("Choose a department of %(center)s.") % {"center": center.name}]}
        )
    adopted: list[ServiceItem] = []
    for standard in standards:
        if standard.center_id != county.pk or standard.standard_id is not None:
            raise ValidationError(
                {
                    "items": [
                        _("%(name)s is not a standard item of %(county)s.")
                        % {"name": standard.name, "county": county.name}
                    ]
                }
            )
        if ServiceItem.objects.filter(center=center, standard=standard).exists():
            raise Conflict(
                {
                    "items": [
                        _("%(center)s has already adopted %(name)s.")
                        % {"center": center.name, "name": standard.name}
                    ]
                }
            )
        result = item_create(
            actor=actor,
            center=center,
            department=department,
            code=adopted_code(standard, center),
            place=center.address,
            phone=center.phone,
            is_active=standard.is_active,
            **governed_values(standard),  # type: ignore[arg-type]
        )
        item = result.item
        ServiceItem.objects.filter(pk=item.pk).update(
            standard=standard, standard_revision=standard.revision
        )
        item.standard = standard
        item.standard_revision = standard.revision
        Material.objects.bulk_create(
            [
                _copy_material(item, theirs, position)
                for position, theirs in enumerate(standard.materials.order_by("position", "id"))
            ]
        )
        record_event(
            actor=actor,
            action=CatalogEvent.STANDARD_ADOPT,
            obj=item,
            center_id=center.pk,
            data={"standard": standard.pk, "revision": standard.revision},
        )
        adopted.append(item)
    return adopted


@transaction.atomic
def standard_material_restore(
    *, actor: User | None, item: ServiceItem, material: Material
) -> Material:
    """Bring back a material of the standard that `item` omitted."""
    require_catalog_manager(actor, item.center_id)
    if item.standard_id is None or material.item_id != item.standard_id:
        raise ValidationError(_("The material is not one of this item's standard."))
    if item.materials.filter(standard_material=material).exists():
        raise Conflict(_("The item already has this material."))
    last = item.materials.aggregate(last=Max("position"))["last"]
    copy = _copy_material(item, material, 0 if last is None else last + 1)
    copy.save()
    record_event(
        actor=actor,
        action=CatalogEvent.STANDARD_MATERIAL_RESTORE,
        obj=item,
        center_id=item.center_id,
        data={"material": copy.pk, "standard_material": material.pk, "name": material.name},
    )
    return copy


# --- reviewing a change of the standard ----------------------------------------------------------


def keep_refusal(item: ServiceItem, standard: ServiceItem) -> str:
    """Why `item` cannot stay as it is against `standard` ("" when it can)."""
    errors = standard_deviation_errors(item, standard)
    for material in item.materials.select_related("standard_material"):
        if (
            material.standard_material is not None
            and material.standard_material.item_id != standard.pk
        ):
            material.standard_material = None
        errors.merge(material_deviation_errors(material, material.standard_material))
    if not errors:
        return ""
    return " ".join(m for messages in errors.by_field.values() for m in messages)


def _guard_refusal(guard: str, review: StandardReview) -> str:
    if guard == DEVIATION_ALLOWED:
        return keep_refusal(review.item, review.standard)
    return ""


def review_actions(actor: User | None, review: StandardReview) -> list[str]:
    """The actions `actor` may take on `review` now (buttons and the API)."""
    if not manages_center(actor, review.item.center_id):
        return []
    return [
        row.action
        for row in REVIEW_TRANSITIONS.rows_from(review.state)
        if not row.guard or not _guard_refusal(row.guard, review)
    ]


def _apply(actor: User | None, review: StandardReview) -> None:
    item, standard = review.item, review.standard
    changed = set(review.changed_fields)
    # The changed fields take the standard's values; any other field the rule refuses too.
    values = {
        name: getattr(standard, name)
        for name in GOVERNED_FIELDS
        if name in changed or field_deviation(item, standard, name) == "differs"
    }
    if values:
        item_update(actor=actor, item=item, **values)
    if MATERIALS not in changed:
        return
    mine = list(item.materials.select_related("standard_material"))
    for material in mine:
        theirs = material.standard_material
        if theirs is None or theirs.item_id != standard.pk:
            material.delete()  # the standard removed it
            continue
        for name in MATERIAL_GOVERNED_FIELDS:
            setattr(material, name, getattr(theirs, name))
        material.save()
    have = set(item.materials.values_list("standard_material_id", flat=True))
    last = item.materials.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    for theirs in standard.materials.filter(pk__in=review.added_materials).order_by(
        "position", "id"
    ):
        if theirs.pk not in have:
            _copy_material(item, theirs, position).save()
            position += 1


@transaction.atomic
def standard_review_act(
    *, actor: User | None, review: StandardReview, action: str
) -> StandardReview:
    """Apply the standard's change to the local item, or keep the local item as it is."""
    current = (
        StandardReview.objects.select_for_update()
        .select_related("item", "standard")
        .get(pk=review.pk)
    )
    require_catalog_manager(actor, current.item.center_id)
    row = REVIEW_TRANSITIONS.row(current.state, action)
    if row is None:
        raise refusal_error(
            StateRefusal(_("This change of the standard has been reviewed already."))
        )
    if row.guard:
        refusal = _guard_refusal(row.guard, current)
        if refusal:
            raise ValidationError(
                _("The local item cannot stay as it is: %(why)s") % {"why": refusal}
            )
    standard = ServiceItem.objects.select_for_update().get(pk=current.standard_id)
    current.standard = standard
    if action == ReviewAction.APPLY:
        _apply(actor, current)
    ServiceItem.objects.filter(pk=current.item_id).update(standard_revision=standard.revision)
    assert row.next_state is not None
    current.state = row.next_state
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.to_revision = standard.revision
    current.save()
    record_event(
        actor=actor,
        action=(
            CatalogEvent.STANDARD_REVIEW_APPLY
            if action == ReviewAction.APPLY
            else CatalogEvent.STANDARD_REVIEW_KEEP
        ),
        obj=current.item,
        center_id=current.item.center_id,
        data={
            "review": current.pk,
            "from_revision": current.from_revision,
            "to_revision": current.to_revision,
            "changed": current.changed_fields,
        },
    )
    review.state = current.state
    return current
