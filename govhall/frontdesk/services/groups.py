"""Service groups of the queue: made by hand or built from the windows' items."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.models import ItemWindow, ServiceItem
from govhall.catalog.queries.acceptance import item_window_pairs
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import ServiceGroup
from govhall.frontdesk.services.standing import require_manager
from govhall.org.models import Center, Department, Window

LETTER_PATTERN = re.compile(r"^[A-Z]{1,2}$")
# Letters that read as digits on the display board and the printed ticket (issue 17): I and 1,
# O and 0, S and 5, Z and 2 ("A012" beside "AO12"); a group's letter never uses them.
DIGIT_LIKE_LETTERS = frozenset("IOSZ")
NAME_MAX = ServiceGroup._meta.get_field("name").max_length or 64
GROUP_FIELDS = frozenset(
    {
        "letter",
        "name",
        "department",
        "daily_limit",
        "slot_minutes",
        "slot_capacity",
        "position",
        "is_active",
    }
)


def _validate(group: ServiceGroup, windows: Iterable[Window], items: Iterable[ServiceItem]) -> None:
    """Every refusal of the group's fields at once (the letter and name cleaned in place)."""
    errors = FieldErrors()
    group.letter = (group.letter or "").strip().upper()
    group.name = errors.text("name", group.name, max_length=NAME_MAX, required=_("Enter a name."))
    if not LETTER_PATTERN.match(group.letter):
        errors.add("letter", _("A group's letter is one or two letters A–Z."))
    elif DIGIT_LIKE_LETTERS.intersection(group.letter) and _letter_changed(group):
        errors.add(
            "letter",
            _(
                "The letters I, O, S and Z read as the digits 1, 0, 5 and 2 on the display "
                "board; choose another letter."
            ),
        )
    elif (
        ServiceGroup.objects.filter(center_id=group.center_id, letter=group.letter)
        .exclude(pk=group.pk)
        .exists()
    ):
        errors.conflict(
            "letter",
            _("The letter %(letter)s is already used in this center.") % {"letter": group.letter},
        )
    if group.daily_limit is not None and group.daily_limit < 1:
        errors.add("daily_limit", _("A daily limit is at least 1."))
    if not 5 <= (group.slot_minutes or 0) <= 240:
        errors.add("slot_minutes", _("An appointment slot lasts 5 to 240 minutes."))
    if group.slot_capacity is None or group.slot_capacity < 0:
        errors.add("slot_capacity", _("Enter how many appointments a slot takes."))
    if group.department is not None and group.department.center_id != group.center_id:
        errors.add("department", _("The department is not stationed in this center."))
    if any(window.center_id != group.center_id for window in windows):
        errors.add("windows", _("Every window must belong to this center."))
    if any(item.center_id != group.center_id for item in items):
        errors.add("items", _("Every item must belong to this center."))
    _validate_windows_serve_items(errors, group, list(windows), list(items))
    errors.raise_if_any()


def _letter_changed(group: ServiceGroup) -> bool:
    """A new group, or its letter changed (a group that already has one keeps it)."""
    if group.pk is None:
        return True
    before = ServiceGroup.objects.filter(pk=group.pk).values_list("letter", flat=True).first()
    return before != group.letter


def _validate_windows_serve_items(
    errors: FieldErrors, group: ServiceGroup, windows: list[Window], items: list[ServiceItem]
) -> None:
    """A group with items calls from exactly the windows that serve them (the catalog's
    `ItemWindow`): each of its windows accepts at least one of its items, and every active
    window of the center accepting one of its items is among them. A group without items (a
    plain line) is not checked."""
    if not items:
        return
    pairs = item_window_pairs(item.pk for item in items)
    serving = {window_id for _item_id, window_id in pairs}
    for window in windows:
        if window.pk not in serving:
            errors.add(
                "windows",
                _("%(window)s serves none of this group's items; remove it or link it to an item.")
                % {"window": str(window)},
            )
    chosen = {window.pk for window in windows}
    names = {item.pk: item.name for item in items}
    missing: dict[int, list[str]] = {}
    for item_id, window_id in sorted(pairs):
        if window_id not in chosen:
            missing.setdefault(window_id, []).append(names[item_id])
    if missing:
        for window in Window.objects.filter(
            pk__in=missing, center_id=group.center_id, is_active=True
        ).order_by("number"):
            errors.add(
                "windows",
                _("%(window)s accepts %(items)s; add it to the group's windows.")
                % {"window": str(window), "items": "、".join(missing[window.pk])},
            )


@transaction.atomic
def group_create(
    *,
    actor: User | None,
    center: Center,
    letter: str,
    name: str,
    windows: Iterable[Window] = (),
    items: Iterable[ServiceItem] = (),
    **fields: Any,
) -> ServiceGroup:
    require_manager(actor, center)
    unknown = set(fields) - GROUP_FIELDS
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    window_list, item_list = list(windows), list(items)
    group = ServiceGroup(center=center, letter=letter, name=name, **fields)
    _validate(group, window_list, item_list)
    group.save()
    group.windows.set(window_list)
    group.items.set(item_list)
    record_event(
        actor=actor,
        action=FrontdeskEvent.QUEUE_CREATE_GROUP,
        obj=group,
        center_id=center.pk,
        data={"windows": [w.pk for w in window_list], "items": [i.pk for i in item_list]},
    )
    return group


@transaction.atomic
def group_update(
    *,
    actor: User | None,
    group: ServiceGroup,
    windows: Iterable[Window] | None = None,
    items: Iterable[ServiceItem] | None = None,
    **fields: Any,
) -> ServiceGroup:
    require_manager(actor, group.center)
    unknown = set(fields) - GROUP_FIELDS
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    group = ServiceGroup.objects.select_for_update().get(pk=group.pk)
    changed: dict[str, Any] = {}
    for key, value in fields.items():
        if getattr(group, key) != value:
            changed[key] = [str(getattr(group, key)), str(value)]
            setattr(group, key, value)
    window_list = list(windows) if windows is not None else list(group.windows.all())
    item_list = list(items) if items is not None else list(group.items.all())
    _validate(group, window_list, item_list)
    group.save()
    if windows is not None:
        group.windows.set(window_list)
        changed["windows"] = [w.pk for w in window_list]
    if items is not None:
        group.items.set(item_list)
        changed["items"] = [i.pk for i in item_list]
    record_event(
        actor=actor,
        action=FrontdeskEvent.QUEUE_UPDATE_GROUP,
        obj=group,
        center_id=group.center_id,
        data=changed,
    )
    return group


def _free_letters(center: Center) -> list[str]:
    used = set(ServiceGroup.objects.filter(center=center).values_list("letter", flat=True))
    return [
        letter
        for letter in string.ascii_uppercase
        if letter not in used and letter not in DIGIT_LIKE_LETTERS
    ]


@transaction.atomic
def groups_build(*, actor: User | None, center: Center) -> list[ServiceGroup]:
    """One group per department of `center` whose active items are served at its windows
    (A: 市场监管, B: 不动产 …), with those items and windows. Departments that already have a
    group get the items and windows they lack added; nothing is removed."""
    require_manager(actor, center)
    links = (
        ItemWindow.objects.filter(
            item__center=center,
            item__is_active=True,
            window__is_active=True,
            window__center=center,
        )
        .values_list("item__department_id", "item_id", "window_id")
        .order_by("item__department__code", "item_id")
    )
    by_department: dict[int, tuple[set[int], set[int]]] = {}
    for department_id, item_id, window_id in links:
        items, windows = by_department.setdefault(department_id, (set(), set()))
        items.add(item_id)
        windows.add(window_id)
    existing = {
        group.department_id: group
        for group in ServiceGroup.objects.filter(center=center, department__isnull=False)
    }
    departments = Department.objects.in_bulk(list(by_department))
    letters = _free_letters(center)
    touched: list[ServiceGroup] = []
    position = ServiceGroup.objects.filter(center=center).count()
    for department_id in by_department:  # in department code order (see the query)
        item_ids, window_ids = by_department[department_id]
        group = existing.get(department_id)
        if group is None:
            if not letters:
                raise Conflict(_("No free group letter is left in this center."))
            department = departments[department_id]
            group = ServiceGroup.objects.create(
                center=center,
                letter=letters.pop(0),
                name=(department.short_name or department.name)[:64],
                department=department,
                position=position,
            )
            position += 1
        group.items.add(*item_ids)
        group.windows.add(*window_ids)
        touched.append(group)
        record_event(
            actor=actor,
            action=FrontdeskEvent.QUEUE_BUILD_GROUP,
            obj=group,
            center_id=center.pk,
            data={"items": sorted(item_ids), "windows": sorted(window_ids)},
        )
    return touched
