"""Each joint department's own review time limit on an item (issue 16 item 7, seeds/000… 篇5 五).

Entry point:
def item_joint_days_set(*, actor, item, days: Mapping[int, int | None]) -> None

`days` maps department ids to working days. A department named must be one of the item's joint
departments; its limit is a whole number of working days from 1 to the item's legal limit; None
removes the department's own limit, so its task follows the case's time limit. Departments not
named keep what they had.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import JointDepartmentDays, ServiceItem
from govhall.catalog.services.changes import require_catalog_manager
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors


def joint_days_errors(
    item: ServiceItem, joint_ids: set[int], days: Mapping[int, int | None]
) -> list[str]:
    """What is wrong with `days` ({department id: days or None}) for `item` (no query)."""
    messages: list[str] = []
    top = max(item.legal_days or 0, 1)
    for department_id, value in days.items():
        if department_id not in joint_ids:
            messages.append(_("A time limit is set only for a joint department of the item."))
        elif value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top
        ):
            messages.append(
                _(
                    "A joint department's time limit is from 1 to %(max)d working days "
                    "(the legal limit)."
                )
                % {"max": top}
            )
    return list(dict.fromkeys(messages))


@transaction.atomic
def item_joint_days_set(
    *,
    actor: User | None,
    item: ServiceItem,
    days: Mapping[int, int | None],
) -> None:
    """Set (or, with None, remove) joint departments' own time limits on `item`."""
    require_catalog_manager(actor, item.center_id)
    current = ServiceItem.objects.select_for_update().get(pk=item.pk)
    wanted = {int(key): value for key, value in days.items()}
    joint_ids = set(current.joint_departments.values_list("pk", flat=True))
    errors = FieldErrors()
    for message in joint_days_errors(current, joint_ids, wanted):
        errors.add("joint_days", message)
    errors.raise_if_any()
    before = dict(
        JointDepartmentDays.objects.filter(item_id=current.pk).values_list("department_id", "days")
    )
    removed = [pk for pk, value in wanted.items() if value is None and pk in before]
    kept = {pk: value for pk, value in wanted.items() if value is not None}
    if removed:
        JointDepartmentDays.objects.filter(item_id=current.pk, department_id__in=removed).delete()
    changed = {pk: value for pk, value in kept.items() if before.get(pk) != value}
    for pk, value in changed.items():
        JointDepartmentDays.objects.update_or_create(
            item_id=current.pk, department_id=pk, defaults={"days": value}
        )
    if not removed and not changed:
        return
    record_event(
        actor=actor,
        action=CatalogEvent.ITEM_SET_JOINT_DAYS,
        obj=current,
        center_id=current.center_id,
        data={
            "set": {str(pk): value for pk, value in changed.items()},
            "removed": sorted(removed),
        },
    )
