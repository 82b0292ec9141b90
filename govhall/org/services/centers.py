"""Changing centers (SPEC §3): creating, changing and moving them in the tree.

Every change is atomic, validated and logged. `center_validate` checks a proposed state without
writing, so the Django admin shows the same messages on the right fields before anything is saved.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.access.scope import scope_of
from govhall.org.access.standing import manages_center
from govhall.org.events import OrgEvent
from govhall.org.models import Center
from govhall.org.models.centers import LEVEL_RANK, CenterLevel
from govhall.org.services._common import (
    apply_changes,
    lock_rows,
    model_errors,
    reject_unknown,
    require_center_manager,
)

PATH_MAX_LENGTH = Center._meta.get_field("path").max_length or 255
MAX_EARLY_ARRIVAL_MINUTES = 60

CENTER_FIELDS = frozenset(
    {
        "code",
        "name",
        "level",
        "parent",
        "address",
        "phone",
        "complaint_phone",
        "supervision_phone",
        "morning_opens",
        "morning_closes",
        "afternoon_opens",
        "afternoon_closes",
        "early_arrival_minutes",
        "is_active",
    }
)


def _parent_errors(
    actor: User | None, center: Center | None, parent: Center | None, errors: FieldErrors
) -> None:
    """A center is placed only under a center the actor manages (the top of the tree is the
    system's), and a manager does not move the center their own subtree starts from."""
    if actor is None or scope_of(actor).everything:
        return
    root = scope_of(actor).root
    if center is not None and center.pk is not None and root is not None and center.pk == root.pk:
        errors.add("parent", _("You cannot move the center you manage; ask a manager above it."))
    elif parent is None:
        errors.add("parent", _("Only a system administrator places a center at the top."))
    elif not manages_center(actor, parent.pk):
        errors.add(
            "parent", _("You may not place a center under %(center)s.") % {"center": parent.name}
        )


def _hours_errors(center: Center, errors: FieldErrors) -> None:
    hours = (
        center.morning_opens,
        center.morning_closes,
        center.afternoon_opens,
        center.afternoon_closes,
    )
    if any(not isinstance(value, datetime.time) for value in hours):
        return  # missing times are reported by field validation
    if not center.morning_opens < center.morning_closes:
        errors.add("morning_closes", _("The morning must close after it opens."))
    if not center.morning_closes <= center.afternoon_opens:
        errors.add("afternoon_opens", _("The afternoon cannot open before the morning closes."))
    if not center.afternoon_opens < center.afternoon_closes:
        errors.add("afternoon_closes", _("The afternoon must close after it opens."))
    minutes = center.early_arrival_minutes
    if minutes is None or not 0 <= minutes <= MAX_EARLY_ARRIVAL_MINUTES:
        errors.add(
            "early_arrival_minutes",
            _("Staff arrive between 0 and %(max)d minutes before opening.")
            % {"max": MAX_EARLY_ARRIVAL_MINUTES},
        )


def _center_errors(proposed: Center, current: Center | None, errors: FieldErrors) -> None:
    _hours_errors(proposed, errors)
    code = (proposed.code or "").strip()
    if not code:
        errors.add("code", _("Enter a code."))
    elif Center.objects.filter(code=code).exclude(pk=proposed.pk).exists():
        errors.conflict("code", _("The center code %(code)s is already used.") % {"code": code})
    if proposed.level not in CenterLevel.values:
        errors.add("level", _("Choose a valid level."))
        return  # the rules below compare levels
    level = CenterLevel(proposed.level)
    parent = proposed.parent
    if parent is not None:
        if current is not None and (
            parent.pk == current.pk or parent.path.startswith(current.path)
        ):
            errors.add(
                "parent", _("A center cannot be moved under itself or one of its own sub-centers.")
            )
        elif LEVEL_RANK[CenterLevel(parent.level)] >= LEVEL_RANK[level]:
            errors.add(
                "parent",
                _("A %(level)s center cannot be placed under a %(parent)s center.")
                % {"level": level.label, "parent": CenterLevel(parent.level).label},
            )
    if current is not None and proposed.level != current.level:
        child_levels = set(current.children.values_list("level", flat=True))
        too_high = [c for c in child_levels if LEVEL_RANK[CenterLevel(c)] <= LEVEL_RANK[level]]
        if too_high:
            errors.add(
                "level",
                _("A %(level)s center cannot supervise its %(child)s sub-centers.")
                % {"level": level.label, "child": CenterLevel(too_high[0]).label},
            )


def center_validate(proposed: Center, *, current: Center | None = None) -> None:
    """Check a proposed center state (`current` is the stored row when changing one).

    Raises ValidationError keyed by field: hours order, early arrival, unique code, level
    against parent and children, and no move under the center's own subtree.
    """
    errors = FieldErrors()
    _center_errors(proposed, current, errors)
    errors.raise_if_any()


def _too_deep() -> str:
    return _("The center tree is too deep.")


@transaction.atomic
def center_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Center | None = None,
    **fields: Any,
) -> Center:
    """Create a center under `parent` and set its materialized path."""
    reject_unknown(fields, CENTER_FIELDS)
    if parent is not None:
        parent = lock_rows(Center, [parent.pk]).get(parent.pk, parent)
    center = Center(code=code.strip(), name=name.strip(), level=level, parent=parent, **fields)
    errors = FieldErrors()
    _parent_errors(actor, None, parent, errors)
    _center_errors(center, None, errors)
    model_errors(center, errors, exclude=["path"])
    errors.raise_if_any()
    center.save()
    center.path = f"{parent.path if parent else '/'}{center.pk}/"
    if len(center.path) > PATH_MAX_LENGTH:
        raise ValidationError({"parent": _too_deep()})
    center.save(update_fields=["path"])
    record_event(
        actor=actor,
        action=OrgEvent.CENTER_CREATE,
        obj=center,
        center_id=center.pk,
        data={"parent": parent.pk if parent else None, "level": level},
    )
    return center


@transaction.atomic
def center_update(*, actor: User | None, center: Center, **fields: Any) -> Center:
    """Change a center. A move re-roots the materialized path of its whole subtree at once."""
    reject_unknown(fields, CENTER_FIELDS)
    new_parent = fields.get("parent")
    locked = lock_rows(Center, [center.pk, new_parent.pk if new_parent else None])
    current = locked[center.pk]  # fresh row: the path may have moved since `center` was read
    if new_parent is not None:
        fields["parent"] = locked[new_parent.pk]
    require_center_manager(actor, current)
    proposed = copy.copy(current)
    changed = apply_changes(proposed, fields)
    if not changed:
        return center
    errors = FieldErrors()
    if "parent" in changed:
        _parent_errors(actor, current, proposed.parent, errors)
    _center_errors(proposed, current, errors)
    model_errors(proposed, errors, exclude=["path"])
    old_path = current.path
    if "parent" in changed and "parent" not in errors:
        parent = proposed.parent
        new_path = f"{parent.path if parent else '/'}{current.pk}/"
        longest = Center.objects.filter(path__startswith=old_path).aggregate(
            longest=Max(Length("path"))
        )["longest"]
        if (longest or 0) - len(old_path) + len(new_path) > PATH_MAX_LENGTH:
            errors.add("parent", _too_deep())
        proposed.path = new_path
    errors.raise_if_any()

    update_fields = [*changed, "updated_at"]
    proposed.save(update_fields=update_fields)
    if proposed.path != old_path:
        # One UPDATE for the whole subtree (the center itself included): swap the path prefix.
        Center.objects.filter(path__startswith=old_path).update(
            path=Concat(
                Value(proposed.path), Substr("path", len(old_path) + 1), output_field=CharField()
            )
        )
    record_event(
        actor=actor,
        action=OrgEvent.CENTER_UPDATE,
        obj=proposed,
        center_id=proposed.pk,
        data={"changed": changed},
    )
    # Callers keep using the object they passed in: bring it up to date.
    for name in (*changed, "path", "updated_at"):
        setattr(center, name, getattr(proposed, name))
    return center
