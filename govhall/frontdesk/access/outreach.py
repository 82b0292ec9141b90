"""Who sees service beyond the counter (issue 21 item 6): overtime records (延时服务), home
visits (上门服务) and key projects with their follow-up calls (跟踪服务). Scoped to the user's
center subtree, and for department roles to their department (a visit's named staff see it
too). Missing and forbidden both raise Http404."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import (
    OUTREACH_ASSIGNER_ROLES,
    OUTREACH_DESK_ROLES,
    OVERTIME_READER_ROLES,
    WINDOW_ROLES,
)
from govhall.frontdesk.models import HomeVisit, KeyProject, Overtime
from govhall.org.access.scope import centers_in_scope, scope_of, windows_in_scope


def can_read_overtime(user: object) -> bool:
    """Management, supervisors, department leaders and window heads (their part), and the
    window staff (their own records)."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & (OVERTIME_READER_ROLES | WINDOW_ROLES))


def overtimes_in_scope(user: object) -> QuerySet[Overtime]:
    scope = scope_of(user)
    if not can_read_overtime(user):
        return Overtime.objects.none()
    if scope.everything or scope.roles & OVERTIME_READER_ROLES:
        return Overtime.objects.filter(window__in=windows_in_scope(user))
    return Overtime.objects.filter(staff=getattr(user, "pk", 0)).distinct()


def access_overtime(user: object, overtime_id: object, *, for_write: bool = False) -> Overtime:
    try:
        found: Overtime = (
            overtimes_in_scope(user)
            .select_related("window__center", "center")
            .get(pk=id_or_404(overtime_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return found


def can_use_outreach(user: object) -> bool:
    """The front desk, the windows, department leaders and management: home visits and
    follow-up calls."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & (OUTREACH_DESK_ROLES | OUTREACH_ASSIGNER_ROLES))


def _department_part(user: object) -> Q:
    scope = scope_of(user)
    if scope.department_id is None:
        return Q()
    return Q(department_id=scope.department_id)


def visits_in_scope(user: object) -> QuerySet[HomeVisit]:
    if not can_use_outreach(user):
        return HomeVisit.objects.filter(assigned=getattr(user, "pk", 0))
    pk = getattr(user, "pk", 0)
    ids = HomeVisit.objects.filter(
        (Q(center__in=centers_in_scope(user)) & _department_part(user)) | Q(assigned=pk)
    ).values("pk")
    return HomeVisit.objects.filter(pk__in=ids)


def access_visit(user: object, visit_id: object, *, for_write: bool = False) -> HomeVisit:
    try:
        found: HomeVisit = (
            visits_in_scope(user)
            .select_related("center", "department", "item", "booked_by", "scheduled_by")
            .get(pk=id_or_404(visit_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return found


def projects_in_scope(user: object) -> QuerySet[KeyProject]:
    if not can_use_outreach(user):
        return KeyProject.objects.none()
    return KeyProject.objects.filter(center__in=centers_in_scope(user)).filter(
        _department_part(user)
    )


def access_project(user: object, project_id: object, *, for_write: bool = False) -> KeyProject:
    try:
        found: KeyProject = (
            projects_in_scope(user)
            .select_related("center", "department")
            .get(pk=id_or_404(project_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return found
