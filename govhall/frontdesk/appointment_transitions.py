"""The appointment state machine as data (预约服务, SPEC §7; seeds/000… 篇1 六).

A booking (`appointment_book`) creates a booked appointment, an off-hours request
(`appointment_request_off_hours`) a requested one. Then one row per (status, action): who may
take it and where the appointment goes. The same table draws the buttons of the appointment
pages, answers the API's `actions` and is checked by the services
(`govhall.frontdesk.services.appointment_rules.appointment_refusal`); the worker's and the queue's
bulk changes take their statuses from it (`states_for`).

Who (`AppointmentViewer.parties`): the applicant (the public: at the kiosk with the booking code,
online with the last 4 characters of the ID number), the center's staff, its managers, the staff
member named to serve an off-hours appointment, and the system (the worker marks no-shows;
starting the queue ticket serves a checked-in appointment).

Guards, predicates of the service keyed by name:
- `before_deadline`: cancelled up to GOVHALL_APPOINTMENT_CANCEL_HOURS before it starts;
- `checks_in_today`: checked in on its day, from GOVHALL_APPOINTMENT_CHECKIN_EARLY_MINUTES before;
- `off_hours`: only an approved off-hours appointment is marked served by hand (others are
  served through their queue ticket);
- `in_hours_ended`: a booked in-hours appointment whose slot ended without a check-in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.frontdesk.models.appointment import AppointmentStatus as S


class AppointmentAction(models.TextChoices):
    APPROVE = "approve", _("Approve and assign")
    DECLINE = "decline", _("Decline")
    CANCEL = "cancel", _("Cancel")
    CHECK_IN = "check_in", _("Check in")
    SERVE = "serve", _("Mark served")
    NO_SHOW = "no_show", _("No-show")
    OUTAGE_CANCEL = "outage_cancel", _("Cancel for an outage")


class AppointmentParty(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    STAFF = "staff", _("Staff of the center")
    MANAGER = "manager", _("A hall manager of the center")
    ASSIGNED = "assigned", _("The staff member named to serve it")
    SYSTEM = "system", _("The system")


P = AppointmentParty
A = AppointmentAction
APPLICANT_OR_STAFF = frozenset({P.APPLICANT.value, P.STAFF.value})
MANAGER = frozenset({P.MANAGER.value})
SYSTEM = frozenset({P.SYSTEM.value})

# Actions taken on one appointment by a person (the buttons and the API's `actions`); the others
# are the worker's, the queue's and the outage's, taken on many at once.
ONE_BY_ONE = frozenset({A.APPROVE, A.DECLINE, A.CANCEL, A.CHECK_IN, A.SERVE})

APPOINTMENT_TRANSITIONS = TransitionTable(
    [
        # off-hours requests (篇1 (六)1–2)
        Transition(S.REQUESTED, A.APPROVE, MANAGER, S.BOOKED),
        Transition(S.REQUESTED, A.DECLINE, MANAGER, S.REJECTED),
        Transition(S.REQUESTED, A.CANCEL, APPLICANT_OR_STAFF, S.CANCELLED, "before_deadline"),
        Transition(S.REQUESTED, A.OUTAGE_CANCEL, MANAGER, S.CANCELLED),
        # a booking
        Transition(S.BOOKED, A.CANCEL, APPLICANT_OR_STAFF, S.CANCELLED, "before_deadline"),
        Transition(S.BOOKED, A.OUTAGE_CANCEL, MANAGER, S.CANCELLED),
        Transition(S.BOOKED, A.CHECK_IN, APPLICANT_OR_STAFF, S.CHECKED_IN, "checks_in_today"),
        Transition(
            S.BOOKED,
            A.SERVE,
            frozenset({P.ASSIGNED.value, P.MANAGER.value}),
            S.SERVED,
            "off_hours",
        ),
        Transition(S.BOOKED, A.NO_SHOW, SYSTEM, S.NO_SHOW, "in_hours_ended"),
        # service through the queue ticket
        Transition(S.CHECKED_IN, A.SERVE, SYSTEM, S.SERVED),
    ]
)
