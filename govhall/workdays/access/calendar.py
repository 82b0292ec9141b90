"""Who may change the calendar (issue 12 item 2).

The national holiday schedule belongs to the system: it moves the deadlines of every center, so
only a system administrator (or the system itself, `actor` None: the CLI, the demo loader)
imports or removes it. A center's closures and extra working days are changed by the managers
of that center: hall managers whose subtree holds it, never from a center below it or from
another county.

The workdays app sits in layer 1, below org, and knows a center by its id only; the org app
registers the subtree rule at start (`OrgConfig.ready`). Until it has, only system
administrators pass (closed by default).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govhall.core.roles import is_system_admin

CenterRule = Callable[[object, int], bool]

_center_rule: CenterRule | None = None


def register_center_rule(rule: CenterRule) -> None:
    """Install the rule "may this actor manage the center with this id" (org.access.standing)."""
    global _center_rule
    _center_rule = rule


# Issue 16 item 9: the active centers below a center, as (id, name) in tree order, also
# registered by the org app (workdays knows a center by its id only). Until it has: none.
CentersBelow = Callable[[int], list[tuple[int, str]]]

_centers_below: CentersBelow | None = None


def register_centers_below(rule: CentersBelow) -> None:
    """Install "the active centers below this one" (org.access.scope.active_centers_below)."""
    global _centers_below
    _centers_below = rule


def centers_below(center_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active centers below `center_id`, in tree order (not itself)."""
    return _centers_below(center_id) if _centers_below is not None else []


def may_manage_national_schedule(actor: object | None) -> bool:
    return actor is None or is_system_admin(actor)


def may_manage_center_days(actor: object | None, center_id: int) -> bool:
    if actor is None:
        return True
    if _center_rule is None:
        return is_system_admin(actor)
    return _center_rule(actor, center_id)


def require_national_schedule_manager(actor: object | None) -> None:
    if not may_manage_national_schedule(actor):
        raise ValidationError(
            _("Only a system administrator may change the national holiday schedule.")
        )


def require_center_days_manager_of_all(
    actor: object | None, centers: list[tuple[int, str]]
) -> None:
    """Refuse the whole change, naming every center (id, name) `actor` does not manage."""
    refused = [name for pk, name in centers if not may_manage_center_days(actor, pk)]
    if refused:
        raise ValidationError(
            _(
                "You do not manage these centers below, so nothing was changed: %(centers)s. "
                "Ask their managers, or set the day without applying it below."
            )
            % {"centers": "、".join(refused)}
        )


def require_center_days_manager(actor: object | None, center_id: int) -> None:
    if not may_manage_center_days(actor, center_id):
        raise ValidationError(
            _("Only the managers of this center may change its closures and extra working days.")
        )
