"""The rule of a local item against the county's standard item it adopts (issue 21 item 5,
seeds/000… 篇2 二(二): one item list across levels). The one home of the rule: the item and
material services, the review of a standard's change and the comparison page all ask here.

- Governed fields (`GOVERNED_FIELDS`: name, type, basis, conditions, procedure, limits, on the
  spot, fee, online, visits, deciding level, licence…) stay as in the standard, except the time
  limits (`SHORTER_OK_FIELDS`: legal, promised and each step's limit, a step's default counted),
  which may be shorter locally, never longer.
- Local fields (`LOCAL_FIELDS`: code, department, place, phone, published, windows and joint
  departments) are the local center's own.
- Materials: a local item may omit a material of the standard, never add one the standard
  lacks; a kept material's governed fields (`MATERIAL_GOVERNED_FIELDS`: name, main, form,
  copies, condition) stay as in the standard, its source and note are local.

A change of a governed field of a standard item raises its revision (`revision_fields`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from govhall.catalog.models import Material, ServiceItem
from govhall.catalog.step_limits import LIMIT_FIELDS, Step, step_limit
from govhall.core.validation import FieldErrors

LOCAL_FIELDS = frozenset({"code", "department", "place", "phone", "is_active"})
SHORTER_OK_FIELDS: tuple[str, ...] = ("legal_days", "promised_days", *LIMIT_FIELDS)
GOVERNED_FIELDS: tuple[str, ...] = (
    "name",
    "item_type",
    "basis",
    "conditions",
    "procedure",
    "legal_days",
    "promised_days",
    *LIMIT_FIELDS,
    "on_the_spot",
    "fee_free",
    "online_available",
    "visits_required",
    "deciding_level",
    "overdue_defaults_to_approval",
    "issues_licence",
    "licence_valid_years",
)
MATERIALS = "materials"  # the material list, as a "changed field" of a standard
MATERIAL_GOVERNED_FIELDS: tuple[str, ...] = ("name", "is_main", "form", "copies", "condition")
_STEP_OF_FIELD = {f"limit_{step.value}_days": step.value for step in Step}


def field_label(name: str) -> str:
    if name == MATERIALS:
        return _("materials")
    return str(getattr(ServiceItem._meta.get_field(name), "verbose_name", name))


def limit_days(item: ServiceItem, name: str) -> int:
    """A time limit as cases use it (a step's empty limit is the installation's default)."""
    step = _STEP_OF_FIELD.get(name)
    if step is not None:
        return step_limit(item, step)
    return int(getattr(item, name))


def revision_fields(changed: Iterable[str]) -> list[str]:
    """The changed names that raise a standard's revision, in the table's order."""
    wanted = set(changed)
    return [name for name in (*GOVERNED_FIELDS, MATERIALS) if name in wanted]


def field_deviation(local: ServiceItem, standard: ServiceItem, name: str) -> str:
    """ "same", "shorter" (an allowed deviation) or "differs" (not allowed)."""
    if name in SHORTER_OK_FIELDS:
        mine, theirs = limit_days(local, name), limit_days(standard, name)
        if mine == theirs:
            return "same"
        return "shorter" if mine < theirs else "differs"
    return "same" if getattr(local, name) == getattr(standard, name) else "differs"


def standard_deviation_errors(
    local: ServiceItem, standard: ServiceItem, *, fields: Iterable[str] | None = None
) -> FieldErrors:
    """What in `local` (its values in memory) the standard's rule refuses; only `fields` when
    given (a change checks what it changes), else every governed field."""
    wanted = set(GOVERNED_FIELDS if fields is None else fields)
    errors = FieldErrors()
    for name in GOVERNED_FIELDS:
        if name not in wanted or field_deviation(local, standard, name) != "differs":
            continue
        if name in SHORTER_OK_FIELDS:
            errors.add(
                name,
                _(
                    "The %(field)s of a local item may be shorter than the county's standard "
                    "(%(days)d working days), never longer."
                )
                % {"field": field_label(name), "days": limit_days(standard, name)},
            )
        else:
            errors.add(
                name,
                _(
                    "The %(field)s of a local item stays as in the county's standard item; only "
                    "the place, phone, department and windows are local."
                )
                % {"field": field_label(name)},
            )
    return errors


def material_deviation_errors(material: Material, standard: Material | None) -> FieldErrors:
    """What the rule refuses in a material of a local item (its values in memory)."""
    errors = FieldErrors()
    if standard is None:
        errors.add(
            "name",
            _(
                "A local item may omit a material of the county's standard item, never add one "
                "the standard lacks (%(name)s)."
            )
            % {"name": material.name},
        )
        return errors
    for name in MATERIAL_GOVERNED_FIELDS:
        if getattr(material, name) != getattr(standard, name):
            errors.add(
                name,
                _(
                    "The %(field)s of a material of a local item stays as in the county's "
                    "standard item; only its source and note are local."
                )
                % {"field": str(getattr(Material._meta.get_field(name), "verbose_name", name))},
            )
    return errors


def governed_values(standard: ServiceItem) -> dict[str, object]:
    """The standard's governed values, as a local copy takes them."""
    return {name: getattr(standard, name) for name in GOVERNED_FIELDS}


def material_values(standard: Material) -> dict[str, object]:
    return {name: getattr(standard, name) for name in MATERIAL_GOVERNED_FIELDS}
