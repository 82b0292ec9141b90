"""Reads of the item list across levels (issue 21 item 5, seeds/000… 篇2 二(二)): which county
keeps a center's standard list, what a town may still adopt, a local item side by side with its
standard, and the county-wide overview (who adopted, who deviates, who is behind).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import Material, ReviewState, ServiceItem, StandardReview
from govhall.catalog.standard_rules import (
    GOVERNED_FIELDS,
    MATERIAL_GOVERNED_FIELDS,
    MATERIALS,
    SHORTER_OK_FIELDS,
    field_deviation,
    field_label,
    limit_days,
)
from govhall.org.models import Center
from govhall.org.models.centers import CenterLevel

ADOPTING_LEVELS = (CenterLevel.TOWN, CenterLevel.VILLAGE)


class Deviation(models.TextChoices):
    SAME = "same", _("same")
    SHORTER = "shorter", _("shorter")
    OMITTED = "omitted", _("omitted")
    DIFFERS = "differs", _("differs from the standard")
    OUTDATED = "outdated", _("changed in the standard, to review")


def county_of(center: Center) -> Center | None:
    """The county whose standard list `center` (a town or a village) adopts."""
    if center.level not in ADOPTING_LEVELS:
        return None
    ids = [int(part) for part in center.path.strip("/").split("/") if part]
    return Center.objects.filter(pk__in=ids, level=CenterLevel.COUNTY).order_by("-path").first()


def standard_items(county: Center) -> QuerySet[ServiceItem]:
    """The county's standard list: its own published items (never an adoption)."""
    return ServiceItem.objects.filter(center=county, standard__isnull=True, is_active=True)


def adoptable_items(center: Center) -> QuerySet[ServiceItem]:
    """The county's standard items `center` has not adopted yet."""
    county = county_of(center)
    if county is None:
        return ServiceItem.objects.none()
    taken = ServiceItem.objects.filter(center=center, standard__isnull=False).values("standard_id")
    return (
        standard_items(county)
        .exclude(pk__in=taken)
        .select_related("department")
        .order_by("department__code", "code")
    )


def is_outdated(item: ServiceItem) -> bool:
    """An adoption whose standard changed after its last review."""
    if item.standard is None:
        return False
    return (item.standard_revision or 0) < item.standard.revision


def _display(item: ServiceItem, name: str) -> str:
    if name in SHORTER_OK_FIELDS:
        days = limit_days(item, name)
        own = getattr(item, name)
        return str(days) if own is not None else f"{days} ({_('default')})"
    value = getattr(item, name)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    display = getattr(item, f"get_{name}_display", None)
    if callable(display) and value:
        return str(display())
    return "" if value is None else str(value)


@dataclass
class FieldRow:
    name: str
    label: str
    standard: str
    local: str
    status: str

    @property
    def status_label(self) -> str:
        return str(Deviation(self.status).label)


@dataclass
class MaterialRow:
    name: str
    standard: str
    local: str
    status: str
    standard_material_id: int | None
    local_material_id: int | None

    @property
    def status_label(self) -> str:
        return str(Deviation(self.status).label)


@dataclass
class Comparison:
    item: ServiceItem
    standard: ServiceItem
    outdated: bool
    review: StandardReview | None
    fields: list[FieldRow] = field(default_factory=list)
    materials: list[MaterialRow] = field(default_factory=list)

    @property
    def deviations(self) -> int:
        rows: list[FieldRow | MaterialRow] = [*self.fields, *self.materials]
        return sum(1 for row in rows if row.status != Deviation.SAME)


def _material_text(material: Material) -> str:
    parts = [material.name, str(material.get_form_display()), f"×{material.copies}"]
    if not material.is_main:
        parts.append(str(_("secondary")))
    if material.condition:
        parts.append(material.condition)
    return " · ".join(parts)


def pending_review(item: ServiceItem) -> StandardReview | None:
    return StandardReview.objects.filter(item=item, state=ReviewState.PENDING).first()


def item_comparison(item: ServiceItem) -> Comparison:
    """`item` (an adoption) and its standard, field by field and material by material."""
    standard = item.standard
    assert standard is not None, "only an adoption has a standard"
    review = pending_review(item)
    changed = set(review.changed_fields) if review else set()
    comparison = Comparison(item=item, standard=standard, outdated=is_outdated(item), review=review)
    for name in GOVERNED_FIELDS:
        status = field_deviation(item, standard, name)
        if name in changed and status != "same":
            status = Deviation.OUTDATED
        comparison.fields.append(
            FieldRow(
                name=name,
                label=field_label(name),
                standard=_display(standard, name),
                local=_display(item, name),
                status=str(status),
            )
        )
    local_by_standard = {}
    extra: list[Material] = []
    for material in item.materials.order_by("position", "id"):
        if material.standard_material_id is None:
            extra.append(material)
        else:
            local_by_standard[material.standard_material_id] = material
    materials_changed = MATERIALS in changed
    for theirs in standard.materials.order_by("position", "id"):
        mine = local_by_standard.get(theirs.pk)
        if mine is None:
            status = (
                Deviation.OUTDATED
                if theirs.pk in (review.added_materials if review else [])
                else Deviation.OMITTED
            )
        elif all(getattr(mine, n) == getattr(theirs, n) for n in MATERIAL_GOVERNED_FIELDS):
            status = Deviation.SAME
        else:
            status = Deviation.OUTDATED if materials_changed else Deviation.DIFFERS
        comparison.materials.append(
            MaterialRow(
                name=theirs.name,
                standard=_material_text(theirs),
                local=_material_text(mine) if mine else "",
                status=str(status),
                standard_material_id=theirs.pk,
                local_material_id=mine.pk if mine else None,
            )
        )
    for mine in extra:
        comparison.materials.append(
            MaterialRow(
                name=mine.name,
                standard="",
                local=_material_text(mine),
                status=str(Deviation.OUTDATED if materials_changed else Deviation.DIFFERS),
                standard_material_id=None,
                local_material_id=mine.pk,
            )
        )
    return comparison


@dataclass
class AdoptionRow:
    item: ServiceItem
    outdated: bool
    deviations: int
    review: StandardReview | None


def adoption_rows(items: QuerySet[ServiceItem]) -> list[AdoptionRow]:
    """Adoptions with their state (for a town's list and the county's overview)."""
    rows = []
    for item in items.filter(standard__isnull=False).select_related(
        "center", "standard", "department"
    ):
        comparison = item_comparison(item)
        rows.append(
            AdoptionRow(
                item=item,
                outdated=comparison.outdated,
                deviations=comparison.deviations,
                review=comparison.review,
            )
        )
    return rows


@dataclass
class StandardRow:
    standard: ServiceItem
    adoptions: list[AdoptionRow]

    @property
    def deviating(self) -> int:
        return sum(1 for row in self.adoptions if row.deviations)

    @property
    def behind(self) -> int:
        return sum(1 for row in self.adoptions if row.outdated)


def county_overview(county: Center) -> list[StandardRow]:
    """Each standard item of the county with the rooms that adopted it."""
    adoptions: dict[int, list[AdoptionRow]] = {}
    local = ServiceItem.objects.filter(standard__center=county).order_by("center__path", "code")
    for row in adoption_rows(local):
        adoptions.setdefault(row.item.standard_id or 0, []).append(row)
    return [
        StandardRow(standard=standard, adoptions=adoptions.get(standard.pk, []))
        for standard in standard_items(county).order_by("department__code", "code")
        if standard.pk in adoptions
    ]


def pending_reviews(items: QuerySet[ServiceItem]) -> QuerySet[StandardReview]:
    """Pending reviews of the given (scoped) items."""
    return (
        StandardReview.objects.filter(item__in=items, state=ReviewState.PENDING)
        .select_related("item", "item__center", "standard")
        .order_by("item__center__path", "item__code")
    )
