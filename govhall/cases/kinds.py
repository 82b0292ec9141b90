"""The kind a complete application is accepted as (SPEC §6 order): joint, escalated, immediate,
promised. Read by intake (the proposal at the window) and by the engine (accepting a case
received earlier), so neither imports the other for it.

At the app root, not in `services/`: a pure rule on the catalog item that two services share,
next to the other vocabulary of cases (`statuses.py`)."""

from __future__ import annotations

from govhall.cases.statuses import CaseKind
from govhall.catalog.models import ServiceItem
from govhall.org.models.centers import LEVEL_RANK, CenterLevel


def decided_above(item: ServiceItem) -> bool:
    """The item is decided by a level above the item's own center."""
    if not item.deciding_level:
        return False
    return LEVEL_RANK[CenterLevel(item.deciding_level)] < LEVEL_RANK[CenterLevel(item.center.level)]


def accepted_kind(item: ServiceItem) -> str:
    """The kind a complete application of `item` is accepted as (SPEC §6 order)."""
    if item.joint_departments.exists():
        return CaseKind.JOINT
    if decided_above(item):
        return CaseKind.ESCALATED
    if item.on_the_spot or item.promised_days == 0:
        return CaseKind.IMMEDIATE
    return CaseKind.PROMISED
