"""Fetching a duty of the roster by a user-supplied id: missing and forbidden both raise Http404.

A duty is read by anyone whose scope holds its center, and changed (`for_write`) only by a
hall manager of that center (`govhall.org.access.standing.manages_center`). Which departments'
leader visits a user may record is `visit_departments`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.org.access.scope import centers_in_scope
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department, Staff
from govhall.staffing.models.roster import DutyAssignment


def access_duty(user: object, duty_id: object, *, for_write: bool = False) -> DutyAssignment:
    try:
        duty = (
            DutyAssignment.objects.filter(center__in=centers_in_scope(user))
            .select_related("center", "user")
            .get(pk=int(str(duty_id)))
        )
    except (ValueError, DutyAssignment.DoesNotExist):
        raise Http404 from None
    if for_write and not (user is not None and manages_center(user, duty.center_id)):
        raise Http404
    return duty


def visit_departments(actor: User | None, center: Center) -> QuerySet[Department]:
    """The departments of `center` whose leader visits `actor` may record (what the page and
    its form offer): every active one for a manager of the center, a department leader's own,
    none for anyone else. `leader_visit_record` checks the same once more."""
    if actor is None:
        return Department.objects.none()
    if manages_center(actor, center.pk):
        return Department.objects.filter(center=center, is_active=True)
    if Role.DEPT_LEADER not in roles_of(actor):
        return Department.objects.none()
    own = Staff.objects.filter(user=actor).values_list("department_id", flat=True).first()
    return Department.objects.filter(center=center, pk=own) if own else Department.objects.none()
