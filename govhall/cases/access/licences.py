"""Who sees and who revokes electronic licences (issue 19 item 4); fetching one by id.

Staff read the licences of the cases they may read (`cases_in_scope`: center subtree, own
department for department roles). Revocation is for the issuing department's leader
(dept_leader of that department) and the hall's management of the issuing center.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.cases.access.cases import can_read_cases, cases_in_scope
from govhall.cases.models import ElectronicLicence
from govhall.core.roles import LICENCE_REVOKER_ROLES, MANAGER_ROLES, Role
from govhall.org.access.scope import scope_of
from govhall.org.access.standing import manages_center


def can_read_licences(user: object) -> bool:
    return can_read_cases(user)


def can_revoke_licences(user: object) -> bool:
    """Holds a role that may revoke some licence (the page shows the button per row)."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & LICENCE_REVOKER_ROLES)


def can_revoke_licence(user: object, licence: ElectronicLicence) -> bool:
    """The issuing department's leader, or a manager of the issuing center."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.roles & MANAGER_ROLES and manages_center(user, licence.department.center_id):
        return True
    return Role.DEPT_LEADER in scope.roles and scope.department_id == licence.department_id


def licences_in_scope(user: object) -> QuerySet[ElectronicLicence]:
    if not can_read_licences(user):
        return ElectronicLicence.objects.none()
    scope = scope_of(user)
    licences = ElectronicLicence.objects.filter(case__in=cases_in_scope(user))
    if scope.department_id is not None:
        licences = licences.filter(department_id=scope.department_id)
    return licences


def access_licence(
    user: object, licence_id: object, *, for_write: bool = False
) -> ElectronicLicence:
    """The licence with this id if the user may see it (and, `for_write`, revoke it)."""
    try:
        pk = int(str(licence_id))
    except ValueError:
        raise Http404 from None
    licence = (
        licences_in_scope(user)
        .select_related("department", "department__center", "item", "holder", "case")
        .filter(pk=pk)
        .first()
    )
    if licence is None or (for_write and not can_revoke_licence(user, licence)):
        raise Http404
    return licence
