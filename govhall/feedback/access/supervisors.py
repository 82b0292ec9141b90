"""Social supervisors (行风监督员, issue 15 item 6): appointments, their own records, and who
answers them.

- A hall director (or system administrator) of a center's subtree appoints a user holding the
  social supervisor role and ends a term early (`can_manage_supervisors`, `manages_center`).
- A social supervisor works in the workbench only while a term of theirs runs
  (`current_appointment`): they record visits, mystery-shopping findings and opinions and see
  their OWN records and the answers to them, nothing else.
- Management and supervisors read every record of their centers; management answers each one.

Missing and forbidden both answer Http404.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govhall.core.access import id_or_404
from govhall.core.roles import Role
from govhall.feedback.access.voice import manages_voice, reads_voice
from govhall.feedback.models import SupervisorAppointment, SupervisorVisit
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center


def _user_pk(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def can_manage_supervisors(user: object) -> bool:
    """Appoints social supervisors, ends terms, answers their records."""
    return manages_voice(user)


def can_read_supervisor_records(user: object) -> bool:
    """Reads the appointments and every record of their centers' social supervisors."""
    return reads_voice(user)


def running(day: datetime.date) -> Q:
    """Appointments whose term runs on `day` (an early end stops it from that day on)."""
    return Q(starts_on__lte=day, ends_on__gte=day) & (
        Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=day)
    )


def current_appointment(
    user: object, day: datetime.date | None = None
) -> SupervisorAppointment | None:
    """The running appointment of a social supervisor (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if Role.SOCIAL_SUPERVISOR not in scope_of(user).roles:
        return None
    today = day or timezone.localdate()
    return (
        SupervisorAppointment.objects.filter(running(today), user_id=_user_pk(user))
        .select_related("center")
        .order_by("-starts_on", "-id")
        .first()
    )


def can_record_as_supervisor(user: object) -> bool:
    """A social supervisor whose term runs today: their own pages."""
    return current_appointment(user) is not None


def appointments_in_scope(user: object) -> QuerySet[SupervisorAppointment]:
    if not can_read_supervisor_records(user):
        return SupervisorAppointment.objects.none()
    return SupervisorAppointment.objects.filter(center__in=centers_in_scope(user))


def supervisor_visits_in_scope(user: object) -> QuerySet[SupervisorVisit]:
    """Management and supervisors: every record of their centers; a social supervisor whose term
    runs: their own records (of every term); anyone else nothing."""
    if can_read_supervisor_records(user):
        return SupervisorVisit.objects.filter(appointment__center__in=centers_in_scope(user))
    if can_record_as_supervisor(user):
        return SupervisorVisit.objects.filter(appointment__user_id=_user_pk(user))
    return SupervisorVisit.objects.none()


def access_appointment(
    user: object, appointment_id: object, *, for_write: bool = False
) -> SupervisorAppointment:
    """An appointment the user may read; with `for_write`, one they may end (they manage its
    center)."""
    found = (
        appointments_in_scope(user)
        .select_related("user", "center", "appointed_by")
        .filter(pk=id_or_404(appointment_id))
        .first()
    )
    if found is None or (
        for_write and not (can_manage_supervisors(user) and manages_center(user, found.center_id))
    ):
        raise Http404
    return found


def can_respond_to_visit(user: object, visit: SupervisorVisit) -> bool:
    return can_manage_supervisors(user) and manages_center(user, visit.appointment.center_id)


def access_supervisor_visit(
    user: object, visit_id: object, *, for_write: bool = False
) -> SupervisorVisit:
    """A record the user may read; with `for_write`, one they may answer."""
    found = (
        supervisor_visits_in_scope(user)
        .select_related("appointment", "appointment__user", "appointment__center", "window")
        .filter(pk=id_or_404(visit_id))
        .first()
    )
    if found is None or (for_write and not can_respond_to_visit(user, found)):
        raise Http404
    return found
