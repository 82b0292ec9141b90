"""Who may see and change which appointments: the staff of the center (and the centers above
it); department staff only the groups of their department (and groups of no department).
Missing and forbidden both raise Http404."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.roles import APPOINTMENT_READER_ROLES, FRONT_DESK_ROLES, MANAGER_ROLES
from govhall.frontdesk.models import Appointment, ServiceGroup
from govhall.frontdesk.models.appointment import AppointmentQuerySet
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center


def can_read_appointments(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & APPOINTMENT_READER_ROLES)


def can_write_appointments(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & FRONT_DESK_ROLES)


def can_declare_outage(user: object) -> bool:
    """Cancels a range of time (an outage) for a whole center: the hall's management."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & MANAGER_ROLES)


def _department_groups(user: object) -> Q:
    scope = scope_of(user)
    if scope.department_id is None:
        return Q()
    return Q(department_id=scope.department_id) | Q(department__isnull=True)


def appointment_groups(user: object) -> list[ServiceGroup]:
    """Active groups the user may book and read appointments of."""
    if not can_read_appointments(user):
        return []
    return list(
        ServiceGroup.objects.filter(center__in=centers_in_scope(user), is_active=True)
        .filter(_department_groups(user))
        .select_related("center")
        .order_by("center__path", "position", "letter")
    )


def appointments_in_scope(user: object) -> AppointmentQuerySet:
    if not can_read_appointments(user):
        return Appointment.objects.none()
    scope = scope_of(user)
    qs = Appointment.objects.in_centers(centers_in_scope(user))
    if scope.department_id is not None:
        qs = qs.filter(
            Q(group__department_id=scope.department_id) | Q(group__department__isnull=True)
        )
    return qs


def access_appointment(
    user: object, appointment_id: object, *, for_write: bool = False
) -> Appointment:
    if for_write and not can_write_appointments(user):
        raise Http404
    try:
        appointment: Appointment = (
            appointments_in_scope(user)
            .select_related("center", "group", "slot", "assigned_to", "decided_by", "booked_by")
            .get(pk=int(str(appointment_id)))
        )
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    return appointment


def access_appointment_group(user: object, group_id: object) -> ServiceGroup:
    """A group the user may book and read appointments of."""
    if not can_read_appointments(user):
        raise Http404
    try:
        group: ServiceGroup = (
            ServiceGroup.objects.filter(center__in=centers_in_scope(user))
            .filter(_department_groups(user))
            .select_related("center")
            .get(pk=int(str(group_id)))
        )
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    return group


# --- public pages (no login): only active centers and groups, by their public codes ---------


def bookable_centers() -> QuerySet[Center]:
    """Active centers with at least one active group (where appointments can be made)."""
    return Center.objects.filter(is_active=True, groups__is_active=True).distinct().order_by("path")


def bookable_center(code: str) -> Center:
    center = bookable_centers().filter(code=code).first()
    if center is None:
        raise Http404
    return center


def bookable_group(code: str, letter: str) -> ServiceGroup:
    group = (
        ServiceGroup.objects.filter(
            center__code=code, center__is_active=True, letter=letter.upper(), is_active=True
        )
        .select_related("center")
        .first()
    )
    if group is None:
        raise Http404
    return group
