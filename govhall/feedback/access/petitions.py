"""Who handles and reads petitions (信访), who sees the petitioner, and fetching by id.

- Handlers (`PETITION_HANDLER_ROLES`: hall directors, administrators, supervisors) register and
  handle the petitions of the centers in their scope and read them all.
- Department staff (`DEPARTMENT_ROLES`) read the petitions assigned to their department (the
  交办单), and a leader reads the petitions linked to their own reception days.
- The petitioner's identity (name, phone, ID number, address or employer):
  * of an accusation (检举控告, `is_accusation`): shown only to management of the center (hall
    directors, administrators) and to the petition's own handler; everybody else — other
    supervisors, department staff and leaders — sees the matter only (`IDENTITY_HIDDEN`);
  * of any other petition: shown in full to handlers and management, masked to the rest.
  Lists always mask; every full view is logged (`services/privacy.py`).
Missing and forbidden both answer Http404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.roles import (
    DEPARTMENT_ROLES,
    PETITION_HANDLER_ROLES,
    RECEPTION_LEADER_ROLES,
)
from govhall.feedback.models.petitions import LeaderReception, Petition
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center

IDENTITY_FULL = "full"
IDENTITY_MASKED = "masked"
IDENTITY_HIDDEN = "hidden"

# The petitioner's personal fields (what the identity levels show, mask or hide).
IDENTITY_FIELDS = ("name", "phone", "id_number", "address_or_employer")


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def can_handle_petitions(user: object) -> bool:
    """Registers and handles petitions: a petition handler with a workplace (or a superuser)."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & PETITION_HANDLER_ROLES)


def can_read_petitions(user: object) -> bool:
    """Opens the petition list: handlers, and department staff (their department's ones)."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & (PETITION_HANDLER_ROLES | DEPARTMENT_ROLES))


def can_read_receptions(user: object) -> bool:
    """Opens the leader reception days: handlers and the leaders who receive."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & (PETITION_HANDLER_ROLES | RECEPTION_LEADER_ROLES))


def can_schedule_receptions(user: object) -> bool:
    """Schedules leader reception days: management of the center."""
    scope = scope_of(user)
    return not scope.nothing and scope.can_manage


def handles_center(user: object, center_id: object) -> bool:
    """A petition handler of this center (one of their subtree)."""
    return can_handle_petitions(user) and centers_in_scope(user).filter(pk=_pk(center_id)).exists()


def manages_petition_center(user: object, center_id: object) -> bool:
    """Management (hall director, administrator, superuser) of this center."""
    scope = scope_of(user)
    if scope.nothing or not scope.can_manage:
        return False
    return centers_in_scope(user).filter(pk=_pk(center_id)).exists()


def petition_centers(user: object) -> QuerySet[Center]:
    """The centers the user registers petitions for."""
    if not can_handle_petitions(user):
        return Center.objects.none()
    return centers_in_scope(user).filter(is_active=True)


def petitions_in_scope(user: object) -> QuerySet[Petition]:
    """Petitions the user may read."""
    scope = scope_of(user)
    if scope.nothing:
        return Petition.objects.none()
    centers = centers_in_scope(user)
    if can_handle_petitions(user):
        return Petition.objects.filter(center__in=centers)
    seen = Q(
        pk__in=LeaderReception.objects.filter(leader_id=_pk(getattr(user, "pk", 0))).values(
            "petitions"
        )
    )
    if scope.roles & DEPARTMENT_ROLES and scope.department_id is not None:
        seen |= Q(assigned_department_id=scope.department_id)
    return Petition.objects.filter(seen, center__in=centers)


def access_petition(user: object, petition_id: object, *, for_write: bool = False) -> Petition:
    """The petition, if the user may read it (and handle it, `for_write`); else Http404."""
    found = (
        petitions_in_scope(user)
        .select_related("center", "assigned_department", "handler", "received_by")
        .filter(pk=_pk(petition_id))
        .first()
    )
    if found is None:
        raise Http404
    if for_write and not handles_center(user, found.center_id):
        raise Http404
    return found


def can_act_on_petition(user: object, petition: Petition) -> bool:
    return handles_center(user, petition.center_id)


def identity_level(user: object, petition: Petition) -> str:
    """How much of the petitioner the user sees on the petition's own page."""
    if manages_petition_center(user, petition.center_id):
        return IDENTITY_FULL
    if petition.handler_id is not None and petition.handler_id == getattr(user, "pk", None):
        return IDENTITY_FULL
    if petition.is_accusation:
        return IDENTITY_HIDDEN
    if handles_center(user, petition.center_id):
        return IDENTITY_FULL
    return IDENTITY_MASKED


def list_identity_level(user: object, petition: Petition) -> str:
    """In lists identity is never shown in full: an accuser is hidden from everybody, other
    petitioners masked."""
    if petition.is_accusation:
        return IDENTITY_HIDDEN
    return IDENTITY_MASKED


def receptions_in_scope(user: object) -> QuerySet[LeaderReception]:
    if not can_read_receptions(user):
        return LeaderReception.objects.none()
    found = LeaderReception.objects.filter(center__in=centers_in_scope(user))
    if not can_handle_petitions(user):
        found = found.filter(leader_id=_pk(getattr(user, "pk", 0)))
    return found


def access_reception(
    user: object, reception_id: object, *, for_write: bool = False
) -> LeaderReception:
    found = (
        receptions_in_scope(user)
        .select_related("center", "leader")
        .filter(pk=_pk(reception_id))
        .first()
    )
    if found is None:
        raise Http404
    if for_write and not handles_center(user, found.center_id):
        raise Http404
    return found
