"""Which items a user sees, and who changes the catalog.

Items are scoped to the user's center subtree and, for department roles, to the items their
department leads or joins. Only hall managers change the catalog.
"""

from __future__ import annotations

from django.db.models import Q

from govhall.catalog.models import ServiceItem, ServiceItemQuerySet
from govhall.org.access.scope import centers_in_scope, scope_of


def items_in_scope(user: object) -> ServiceItemQuerySet:
    scope = scope_of(user)
    if scope.everything:
        items = ServiceItem.objects.all()
    else:
        items = ServiceItem.objects.in_centers(centers_in_scope(user))
    if scope.department_id is not None:
        # A subquery, not a join: no duplicate rows and no DISTINCT needed.
        joined = ServiceItem.joint_departments.through.objects.filter(
            department_id=scope.department_id
        ).values("serviceitem_id")
        items = items.filter(Q(department_id=scope.department_id) | Q(pk__in=joined))
    return items


def can_manage_catalog(user: object) -> bool:
    return scope_of(user).can_manage
