"""Service items: create, change, publish and hide (SPEC §5).

Rules (field-keyed `ValidationError`, every problem found before anything changes):

- the implementation code is required, unique, and made of letters, digits, ``-``, ``_``, ``.``
  (it appears in URLs and spreadsheets);
- name and type are required; the lead department is stationed in the item's center; joint
  departments are stationed there too and are not the lead department;
- time limits are whole working days from 0 to `MAX_DAYS`; the promised limit never exceeds the
  legal limit (error); above `PROMISED_SHARE_WARNING` of the legal limit it is a warning
  (seeds/002…: 承诺时限原则上不超过法定时限的40%);
- an item done on the spot (即办, SPEC §4: finished the same day) promises at most
  `ON_THE_SPOT_MAX_PROMISED_DAYS` working day: 0 is "the same day"; 1 leaves room for an
  application accepted just before closing;
- visits required is 0, 1 or 2; the deciding level (for escalated items) is optional but, when
  set, is a level above the item's center;
- an item marked free of charge has no fee items (see `fees`);
- each step's own limit (`govhall.catalog.step_limits`) is empty (the default) or a whole number
  of working days from `STEP_LIMIT_MIN_DAYS` to `STEP_LIMIT_MAX_DAYS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import ItemType, JointDepartmentDays, ServiceItem
from govhall.catalog.models.item import PROMISED_SHARE_WARNING
from govhall.catalog.services.changes import (
    check_fields,
    jsonable,
    max_length_of,
    require_catalog_manager,
    whole_number_between,
)
from govhall.catalog.services.standard_revisions import standard_revise
from govhall.catalog.standard_rules import standard_deviation_errors
from govhall.catalog.step_limits import (
    LIMIT_FIELDS,
    STEP_LIMIT_MAX_DAYS,
    STEP_LIMIT_MIN_DAYS,
    Step,
    limit_field,
)
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors, clean_text
from govhall.org.models import Center, Department
from govhall.org.models.centers import LEVEL_RANK, CenterLevel

MAX_DAYS = 999
ON_THE_SPOT_MAX_PROMISED_DAYS = 1
MAX_LICENCE_YEARS = 99  # issue 19 item 4: an electronic licence's validity in years
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")

# Fields `item_create`/`item_update` accept besides the named parameters.
ITEM_FIELDS = frozenset(
    {
        "code",
        "name",
        "item_type",
        "department",
        "basis",
        "conditions",
        "procedure",
        "legal_days",
        "promised_days",
        "on_the_spot",
        "fee_free",
        "place",
        "phone",
        "online_available",
        "visits_required",
        "deciding_level",
        "overdue_defaults_to_approval",
        "issues_licence",
        "licence_valid_years",
        "is_active",
        *LIMIT_FIELDS,
    }
)
# Long texts without a length limit: only cleaned.
ITEM_FREE_TEXT_FIELDS = ("basis", "conditions", "procedure")


@dataclass
class ItemSaveResult:
    """A saved item and the warnings the user should see (they do not stop the save)."""

    item: ServiceItem
    warnings: list[str] = field(default_factory=list)


# --- rules shared by the services and the spreadsheet import ------------------------------------


def item_rule_errors(item: ServiceItem, center_level: str) -> FieldErrors:
    """Problems with an item's own values (its texts cleaned in place); no database access, so
    the import calls it per row."""
    errors = FieldErrors()
    item.code = errors.text(
        "code",
        item.code,
        max_length=max_length_of(ServiceItem, "code"),
        required=_("Enter the implementation code."),
    )
    if item.code and not CODE_PATTERN.match(item.code):
        errors.add(
            "code",
            _("The implementation code may contain only letters, digits, '-', '_' and '.'."),
        )
    item.name = errors.text(
        "name",
        item.name,
        max_length=max_length_of(ServiceItem, "name"),
        required=_("Enter the name of the item."),
    )
    item.place = errors.text("place", item.place, max_length=max_length_of(ServiceItem, "place"))
    item.phone = errors.text("phone", item.phone, max_length=max_length_of(ServiceItem, "phone"))
    for name in ITEM_FREE_TEXT_FIELDS:
        value = getattr(item, name)
        setattr(item, name, "" if value is None else clean_text(value))
    errors.choice(
        "item_type", item.item_type, ItemType.values, message=_("Choose the type of the item.")
    )
    days: dict[str, int | None] = {}
    for name, label in (
        ("legal_days", _("legal time limit")),
        ("promised_days", _("promised time limit")),
    ):
        days[name] = whole_number_between(
            errors,
            name,
            getattr(item, name),
            minimum=0,
            maximum=MAX_DAYS,
            message=_("The %(label)s must be a whole number of working days from 0 to %(max)d.")
            % {"label": label, "max": MAX_DAYS},
        )
    legal, promised = days["legal_days"], days["promised_days"]
    if legal is not None and promised is not None:
        if promised > legal:
            errors.add(
                "promised_days",
                _(
                    "The promised time limit (%(promised)d working days) cannot exceed the legal "
                    "time limit (%(legal)d working days)."
                )
                % {"promised": promised, "legal": legal},
            )
        if item.on_the_spot and promised > ON_THE_SPOT_MAX_PROMISED_DAYS:
            errors.add(
                "promised_days",
                _(
                    "An item done on the spot is finished the same day: its promised time limit "
                    "can be at most %(max)d working day."
                )
                % {"max": ON_THE_SPOT_MAX_PROMISED_DAYS},
            )
    for step in Step:
        name = limit_field(step)
        if getattr(item, name) is not None:
            whole_number_between(
                errors,
                name,
                getattr(item, name),
                minimum=STEP_LIMIT_MIN_DAYS,
                maximum=STEP_LIMIT_MAX_DAYS,
                message=_(
                    "The %(step)s limit must be a whole number of working days from %(min)d to "
                    "%(max)d, or empty for the default."
                )
                % {"step": step.label, "min": STEP_LIMIT_MIN_DAYS, "max": STEP_LIMIT_MAX_DAYS},
            )
    if item.licence_valid_years is not None:
        whole_number_between(
            errors,
            "licence_valid_years",
            item.licence_valid_years,
            minimum=1,
            maximum=MAX_LICENCE_YEARS,
            message=_(
                "The licence's validity must be a whole number of years from 1 to %(max)d, or "
                "empty for no expiry."
            )
            % {"max": MAX_LICENCE_YEARS},
        )
    whole_number_between(
        errors,
        "visits_required",
        item.visits_required,
        minimum=0,
        maximum=2,
        message=_("Visits required must be 0, 1 or 2."),
    )
    if item.deciding_level:
        level = errors.choice(
            "deciding_level",
            item.deciding_level,
            CenterLevel.values,
            message=_("Choose a valid deciding level."),
        )
        if (
            level is not None
            and center_level in CenterLevel.values
            and LEVEL_RANK[CenterLevel(level)] >= LEVEL_RANK[CenterLevel(center_level)]
        ):
            errors.add(
                "deciding_level",
                _(
                    "The deciding level of an escalated item must be above the level of its "
                    "center (%(level)s)."
                )
                % {"level": CenterLevel(center_level).label},
            )
    # The model's own checks of the other fields (no foreign keys: they would query).
    try:
        item.clean_fields(
            exclude=[
                "center",
                "department",
                "code",
                "name",
                "place",
                "phone",
                "item_type",
                "legal_days",
                "promised_days",
                "visits_required",
                "deciding_level",
                *LIMIT_FIELDS,
            ]
        )
    except ValidationError as exc:
        errors.merge(exc)
    return errors


def item_warnings(item: ServiceItem, *, fee_count: int) -> list[str]:
    """Warnings to show on save and in lists; they never stop a save."""
    warnings: list[str] = []
    if item.promised_share_exceeded:
        warnings.append(
            _(
                "The promised time limit (%(promised)d working days) is above %(share)d%% of the "
                "legal time limit (%(legal)d working days); the rule is at most %(max)d days."
            )
            % {
                "promised": item.promised_days,
                "legal": item.legal_days,
                "share": int(PROMISED_SHARE_WARNING * 100),
                "max": int(PROMISED_SHARE_WARNING * item.legal_days),
            }
        )
    if not item.fee_free and fee_count == 0:
        warnings.append(
            _(
                "The item is marked as charging fees but has no fee item with an approved "
                "standard yet."
            )
        )
    return warnings


def joint_department_errors(
    center: Center, lead_id: int | None, joint: Sequence[Department]
) -> list[str]:
    messages: list[str] = []
    foreign = [d for d in joint if d.center_id != center.pk]
    if foreign:
        messages.append(
            _("Joint departments must be stationed in %(center)s: %(names)s is not.")
            % {"center": center.name, "names": "、".join(d.name for d in foreign)}
        )
    if lead_id is not None and any(d.pk == lead_id for d in joint):
        messages.append(_("The lead department cannot also be a joint department."))
    return messages


def department_error(center: Center, department: Department | None) -> str | None:
    if department is None:
        return _("Choose the department.")
    if department.center_id != center.pk:
        return _("The department %(department)s is not stationed in %(center)s.") % {
            "department": department.name,
            "center": center.name,
        }
    return None


def code_taken_message(code: str) -> str:
    return _("Another item already uses the implementation code %(code)s.") % {"code": code}


def _validate_item(
    item: ServiceItem,
    *,
    center: Center,
    joint: Sequence[Department] | None,
    has_fees: bool,
) -> None:
    """Every problem of the item at once, or nothing."""
    errors = item_rule_errors(item, center.level)
    department = item.department if item.department_id is not None else None
    message = department_error(center, department)
    if message:
        errors.add("department", message)
    if joint is not None:
        for message in joint_department_errors(center, item.department_id, joint):
            errors.add("joint_departments", message)
    if (
        "code" not in errors
        and ServiceItem.objects.filter(code=item.code).exclude(pk=item.pk).exists()
    ):
        errors.conflict("code", code_taken_message(item.code))
    if item.fee_free and has_fees:
        errors.add(
            "fee_free",
            _("The item has fee items; remove them before marking it free of charge."),
        )
    errors.raise_if_any()


# --- the services --------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    center: Center,
    department: Department,
    code: str,
    name: str,
    item_type: str,
    legal_days: int,
    promised_days: int,
    joint_departments: Iterable[Department] = (),
    **fields: Any,
) -> ItemSaveResult:
    require_catalog_manager(actor, center.pk)
    check_fields(fields, ITEM_FIELDS)
    joint = list(joint_departments)
    item = ServiceItem(
        center=center,
        department=department,
        code=code,
        name=name,
        item_type=item_type,
        legal_days=legal_days,
        promised_days=promised_days,
        **fields,
    )
    _validate_item(item, center=center, joint=joint, has_fees=False)
    item.save()
    if joint:
        item.joint_departments.set(joint)
    record_event(
        actor=actor,
        action=CatalogEvent.ITEM_CREATE,
        obj=item,
        center_id=center.pk,
        data={"code": item.code, "joint_departments": [d.pk for d in joint]},
    )
    return ItemSaveResult(item=item, warnings=item_warnings(item, fee_count=0))


@transaction.atomic
def item_update(
    *,
    actor: User | None,
    item: ServiceItem,
    joint_departments: Iterable[Department] | None = None,
    **fields: Any,
) -> ItemSaveResult:
    """Change an item's fields (and joint departments when given).

    `expected_updated_at` (optional) guards against overwriting a concurrent edit: when the
    stored item changed since the form was loaded, nothing is saved.
    """
    require_catalog_manager(actor, item.center_id)
    expected_updated_at = fields.pop("expected_updated_at", None)
    check_fields(fields, ITEM_FIELDS)
    current = ServiceItem.objects.select_for_update().select_related("center").get(pk=item.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise Conflict(
            _("Someone else changed this item in the meantime. Reload the page and try again.")
        )
    changed: dict[str, list[object]] = {}
    for name, value in fields.items():
        old = getattr(current, name)
        if old != value:
            changed[name] = [jsonable(old), jsonable(value)]
        setattr(current, name, value)
    joint = list(joint_departments) if joint_departments is not None else None
    fee_count = current.fees.count()
    _validate_item(current, center=current.center, joint=joint, has_fees=fee_count > 0)
    if current.standard_id is not None and changed:
        # An adoption of a county's standard item (issue 21 item 5): its rule, on what changes.
        standard = ServiceItem.objects.get(pk=current.standard_id)
        standard_deviation_errors(current, standard, fields=changed).raise_if_any()
    if joint is not None:
        before = set(current.joint_departments.values_list("pk", flat=True))
        after = {d.pk for d in joint}
        if before != after:
            changed["joint_departments"] = [sorted(before), sorted(after)]
            current.joint_departments.set(joint)
            # A department no longer joint loses its own time limit (issue 16 item 7).
            JointDepartmentDays.objects.filter(item_id=current.pk).exclude(
                department_id__in=after
            ).delete()
    if changed:
        current.save()
        record_event(
            actor=actor,
            action=CatalogEvent.ITEM_UPDATE,
            obj=current,
            center_id=current.center_id,
            data={"changed": changed},
        )
        standard_revise(actor=actor, item=current, changed=changed)
        # The caller's object reflects the saved state.
        item.refresh_from_db()
    return ItemSaveResult(item=current, warnings=item_warnings(current, fee_count=fee_count))


def _set_published(actor: User | None, item: ServiceItem, published: bool) -> ServiceItem:
    require_catalog_manager(actor, item.center_id)
    current = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if current.is_active != published:
        current.is_active = published
        current.save(update_fields=["is_active", "updated_at"])
        record_event(
            actor=actor,
            action=CatalogEvent.ITEM_PUBLISH if published else CatalogEvent.ITEM_UNPUBLISH,
            obj=current,
            center_id=current.center_id,
        )
    item.is_active = published
    return current


@transaction.atomic
def item_publish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Show the item in the public guides."""
    return _set_published(actor, item, True)


@transaction.atomic
def item_unpublish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Hide the item from the public guides (its history and cases stay)."""
    return _set_published(actor, item, False)
