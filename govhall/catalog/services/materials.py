"""The materials an item requires (要件): add, change, remove and order them.

A material has a name, a form (original, copy or both) and 1 to `MAX_COPIES` copies; the list
is kept in the order the applicant should bring them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Material, ServiceItem
from govhall.catalog.services.changes import (
    check_fields,
    jsonable,
    max_length_of,
    require_catalog_manager,
    whole_number_between,
)
from govhall.catalog.services.standard_revisions import standard_revise
from govhall.catalog.standard_rules import (
    MATERIAL_GOVERNED_FIELDS,
    MATERIALS,
    material_deviation_errors,
)
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors

MAX_COPIES = 99
MATERIAL_FIELDS = frozenset(
    {"name", "is_main", "form", "copies", "source", "note", "condition", "position"}
)


def material_rule_errors(material: Material) -> FieldErrors:
    """Problems with a material's own values (its texts cleaned in place); no database access."""
    errors = FieldErrors()
    material.name = errors.text(
        "name",
        material.name,
        max_length=max_length_of(Material, "name"),
        required=_("Enter the name of the material."),
    )
    material.source = errors.text(
        "source", material.source, max_length=max_length_of(Material, "source")
    )
    material.note = errors.text("note", material.note, max_length=max_length_of(Material, "note"))
    # A conditional material (委托书 only when a representative applies): the condition it needs.
    material.condition = errors.text(
        "condition", material.condition, max_length=max_length_of(Material, "condition")
    )
    errors.choice(
        "form",
        material.form,
        Material.Form.values,
        message=_("Choose original, copy, or original and copy."),
    )
    whole_number_between(
        errors,
        "copies",
        material.copies,
        minimum=1,
        maximum=MAX_COPIES,
        message=_("The number of copies must be a whole number from 1 to %(max)d.")
        % {"max": MAX_COPIES},
    )
    try:
        material.clean_fields(
            exclude=[
                "item",
                "name",
                "source",
                "note",
                "condition",
                "form",
                "copies",
                "position",
                "blank_form",
                "sample",
            ]
        )
    except ValidationError as exc:
        errors.merge(exc)
    return errors


@transaction.atomic
def material_add(
    *,
    actor: User | None,
    item: ServiceItem,
    name: str,
    is_main: bool = True,
    form: str = Material.Form.ORIGINAL,
    copies: int = 1,
    source: str = "",
    note: str = "",
    condition: str = "",
) -> Material:
    require_catalog_manager(actor, item.center_id)
    last = item.materials.aggregate(last=Max("position"))["last"]
    material = Material(
        item=item,
        position=0 if last is None else last + 1,
        name=name,
        is_main=is_main,
        form=form,
        copies=copies,
        source=source,
        note=note,
        condition=condition,
    )
    material_rule_errors(material).raise_if_any()
    if item.standard_id is not None:
        # A local item may omit a material of its standard, never add one (issue 21 item 5).
        material_deviation_errors(material, None).raise_if_any()
    material.save()
    record_event(
        actor=actor,
        action=CatalogEvent.MATERIAL_ADD,
        obj=item,
        center_id=item.center_id,
        data={
            "material": material.pk,
            "name": material.name,
            "is_main": material.is_main,
            "condition": material.condition,
        },
    )
    standard_revise(actor=actor, item=item, changed=[MATERIALS], added_material_ids=[material.pk])
    return material


@transaction.atomic
def material_update(*, actor: User | None, material: Material, **fields: Any) -> Material:
    check_fields(fields, MATERIAL_FIELDS - {"position"})
    current = Material.objects.select_for_update().select_related("item").get(pk=material.pk)
    require_catalog_manager(actor, current.item.center_id)
    changed = {
        name: [jsonable(getattr(current, name)), jsonable(value)]
        for name, value in fields.items()
        if getattr(current, name) != value
    }
    for name, value in fields.items():
        setattr(current, name, value)
    material_rule_errors(current).raise_if_any()
    if changed and current.item.standard_id is not None:
        standard = current.standard_material
        material_deviation_errors(current, standard).raise_if_any()
    if changed:
        current.save()
        record_event(
            actor=actor,
            action=CatalogEvent.MATERIAL_UPDATE,
            obj=current.item,
            center_id=current.item.center_id,
            data={"material": current.pk, "changed": changed},
        )
        if set(changed) & set(MATERIAL_GOVERNED_FIELDS):
            standard_revise(actor=actor, item=current.item, changed=[MATERIALS])
    return current


@transaction.atomic
def material_remove(*, actor: User | None, material: Material) -> None:
    item = material.item
    require_catalog_manager(actor, item.center_id)
    record_event(
        actor=actor,
        action=CatalogEvent.MATERIAL_REMOVE,
        obj=item,
        center_id=item.center_id,
        data={"material": material.pk, "name": material.name},
    )
    material.delete()
    standard_revise(actor=actor, item=item, changed=[MATERIALS])


@transaction.atomic
def material_reorder(
    *, actor: User | None, item: ServiceItem, material_ids: Sequence[int]
) -> list[Material]:
    """Put the item's materials in the given order (every material of the item, once)."""
    require_catalog_manager(actor, item.center_id)
    materials = {m.pk: m for m in Material.objects.select_for_update().filter(item=item)}
    if sorted(material_ids) != sorted(materials):
        raise ValidationError(_("The new order must list every material of the item exactly once."))
    ordered = [materials[pk] for pk in material_ids]
    for position, material in enumerate(ordered):
        material.position = position
    Material.objects.bulk_update(ordered, ["position"])
    record_event(
        actor=actor,
        action=CatalogEvent.MATERIAL_REORDER,
        obj=item,
        center_id=item.center_id,
        data={"order": list(material_ids)},
    )
    return ordered


@transaction.atomic
def material_move(*, actor: User | None, material: Material, up: bool) -> None:
    """Move a material one place up or down in its item's list."""
    require_catalog_manager(actor, material.item.center_id)
    ids = list(material.item.materials.order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(material.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    material_reorder(actor=actor, item=material.item, material_ids=ids)
