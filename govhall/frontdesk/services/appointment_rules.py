"""Who may do what to an appointment now: the parties, guards and refusals of the appointment
table (govhall/frontdesk/appointment_transitions.py).

`appointment_refusal` is the one answer to "may this user take this action on this appointment
now" (the services refuse with it), and `appointment_actions` lists the rows it allows (the
buttons of the appointment pages and the API's `actions`), so both always agree.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import StateRefusal
from govhall.frontdesk.appointment_transitions import (
    APPOINTMENT_TRANSITIONS,
    ONE_BY_ONE,
    AppointmentAction,
    AppointmentParty,
)
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.services.appointment_slots import local_text
from govhall.frontdesk.services.standing import manages, works_in
from govhall.org.models import Center


class AppointmentViewer:
    """What `user` is to appointments (the parties of the appointment table); `None` is the
    public (the applicant, holding the code). Whether the user works in or manages a center is
    read once per center, so a list asks once per center, not once per row."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self._standing: dict[int, frozenset[str]] = {}

    def parties(self, appointment: Appointment) -> frozenset[str]:
        user = self.user
        if user is None:
            return frozenset({AppointmentParty.APPLICANT.value})
        center_id = appointment.center_id
        if center_id not in self._standing:
            center = Center(pk=center_id)
            standing: set[str] = set()
            if works_in(user, center):
                standing.add(AppointmentParty.STAFF.value)
            if manages(user, center):
                standing.add(AppointmentParty.MANAGER.value)
            self._standing[center_id] = frozenset(standing)
        parties = self._standing[center_id]
        if appointment.assigned_to_id is not None and appointment.assigned_to_id == user.pk:
            parties = parties | {AppointmentParty.ASSIGNED.value}
        return parties


def _status_label(appointment: Appointment) -> str:
    return str(AppointmentStatus(appointment.status).label)


def _served_by_hand() -> str:
    return _(
        "Only an approved off-hours appointment is marked served here; others are served "
        "through their queue ticket."
    )


def _state_refusal(appointment: Appointment, action: str) -> StateRefusal:
    """Why the appointment's status does not allow `action` (a conflict: 409 in the API)."""
    return StateRefusal(_status_text(appointment, action))


def _status_text(appointment: Appointment, action: str) -> str:
    status = appointment.status
    if action == AppointmentAction.CHECK_IN:
        if status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.SERVED):
            return _("This appointment has already been checked in.")
        if status in (AppointmentStatus.CANCELLED, AppointmentStatus.REJECTED):
            return _("This appointment was cancelled.")
        if status == AppointmentStatus.NO_SHOW:
            return _("The time of this appointment has passed; it was marked as a no-show.")
        return _("This appointment has not been approved yet.")
    if action in (AppointmentAction.APPROVE, AppointmentAction.DECLINE):
        return _("This request has already been decided (%(status)s).") % {
            "status": _status_label(appointment)
        }
    if action == AppointmentAction.SERVE:
        return _served_by_hand()
    return _("This appointment is %(status)s; it cannot be cancelled.") % {
        "status": _status_label(appointment)
    }


def _who_refusal(action: str) -> str:
    if action in (AppointmentAction.CANCEL, AppointmentAction.CHECK_IN):
        return _("You do not work in this center.")
    return _("Only the hall's management may do this.")


def _guard_before_deadline(appointment: Appointment, now: datetime.datetime) -> str:
    hours = settings.GOVHALL_APPOINTMENT_CANCEL_HOURS
    deadline = appointment.starts_at - datetime.timedelta(hours=hours)
    if now > deadline:
        return _(
            "An appointment can be cancelled up to %(hours)d hours before it starts "
            "(until %(deadline)s)."
        ) % {"hours": hours, "deadline": local_text(deadline)}
    return ""


def _guard_checks_in_today(appointment: Appointment, now: datetime.datetime) -> str:
    if appointment.date != timezone.localdate(now):
        return _("This appointment is for %(date)s, not today.") % {
            "date": appointment.date.isoformat()
        }
    early_minutes = settings.GOVHALL_APPOINTMENT_CHECKIN_EARLY_MINUTES
    opens = appointment.starts_at - datetime.timedelta(minutes=early_minutes)
    if now < opens:
        return _("Check-in opens at %(time)s, %(minutes)d minutes before your appointment.") % {
            "time": timezone.localtime(opens).strftime("%H:%M"),
            "minutes": early_minutes,
        }
    return ""


def _guard_off_hours(appointment: Appointment, now: datetime.datetime) -> str:
    return "" if appointment.is_off_hours else _served_by_hand()


def _guard_in_hours_ended(appointment: Appointment, now: datetime.datetime) -> str:
    if appointment.is_off_hours or appointment.ends_at > now:
        return _("This appointment is not over yet.")
    return ""


APPOINTMENT_GUARDS = {
    "before_deadline": _guard_before_deadline,
    "checks_in_today": _guard_checks_in_today,
    "off_hours": _guard_off_hours,
    "in_hours_ended": _guard_in_hours_ended,
}
# Refused for the status first, then for who asks (the messages say what matters most).
_STATE_FIRST = frozenset({AppointmentAction.SERVE.value, AppointmentAction.CHECK_IN.value})


def appointment_refusal(
    actor: User | None,
    appointment: Appointment,
    action: str,
    now: datetime.datetime | None = None,
    *,
    viewer: AppointmentViewer | None = None,
) -> str | None:
    """Why `actor` (None: the public) may not take `action` on `appointment` now (the transition
    table, its parties and guards), or None when allowed; a `StateRefusal` when the status is in
    the way (`refusal_error` makes it a conflict). The applicant's proof (the last 4 characters
    of the ID number) is checked by the service itself."""
    moment = now or timezone.now()
    row = APPOINTMENT_TRANSITIONS.row(appointment.status, action)
    state_first = action in _STATE_FIRST
    if state_first and row is None:
        return _state_refusal(appointment, action)
    if state_first and row is not None and row.guard == "off_hours":
        refusal = _guard_off_hours(appointment, moment)
        if refusal:
            return refusal
    parties = (viewer or AppointmentViewer(actor)).parties(appointment)
    if not parties & APPOINTMENT_TRANSITIONS.who_may(action):
        return _who_refusal(action)
    if row is None:
        return _state_refusal(appointment, action)
    if not parties & row.who:
        return _who_refusal(action)
    if row.guard:
        return APPOINTMENT_GUARDS[row.guard](appointment, moment) or None
    return None


def appointment_actions(
    user: User | None,
    appointment: Appointment,
    at: datetime.datetime | None = None,
    *,
    viewer: AppointmentViewer | None = None,
) -> list[Transition]:
    """The rows of the appointment table `user` may take on `appointment` alone now (the
    buttons of the appointment pages and the API's `actions`): exactly what the services
    accept."""
    moment = at or timezone.now()
    viewer = viewer or AppointmentViewer(user)
    return [
        row
        for row in APPOINTMENT_TRANSITIONS.rows_from(appointment.status)
        if row.action in ONE_BY_ONE
        and appointment_refusal(user, appointment, row.action, moment, viewer=viewer) is None
    ]
