"""The worker's periodic work on appointments: booked in-hours appointments whose slot ended
without a check-in become no-shows (they count towards the booking block), and applicants are
reminded by SMS on the working day before."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.frontdesk.appointment_transitions import APPOINTMENT_TRANSITIONS, AppointmentAction
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.services.appointment_applicants import appointment_sms
from govhall.frontdesk.services.appointment_slots import appointment_when, is_known_workday
from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError


def appointments_mark_no_shows(*, at: datetime.datetime | None = None) -> int:
    """Booked in-hours appointments whose slot has ended without a check-in become no-shows.
    Approved off-hours appointments are closed by their named staff member instead."""
    now = at or timezone.now()
    marked = 0
    # The rows of the table the worker takes (the guard `in_hours_ended` as a filter).
    states = APPOINTMENT_TRANSITIONS.states_for(AppointmentAction.NO_SHOW)
    (row,) = [APPOINTMENT_TRANSITIONS.row(state, AppointmentAction.NO_SHOW) for state in states]
    assert row is not None and row.next_state is not None
    due = Appointment.objects.filter(
        status=row.state, is_off_hours=False, ends_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due[:5000]):
        with transaction.atomic():
            if not Appointment.objects.filter(pk=pk, status=row.state).update(
                status=row.next_state
            ):
                continue
            appointment = Appointment.objects.get(pk=pk)
            record_event(
                actor=None,
                action=FrontdeskEvent.APPOINTMENT_MARK_NO_SHOW,
                obj=appointment,
                center_id=appointment.center_id,
            )
            marked += 1
    return marked


def appointments_send_reminders(*, at: datetime.datetime | None = None) -> int:
    """SMS once (reminded_at) on the working day before an appointment, from the center's
    morning opening on."""
    now = at or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    sent = 0
    center_ids = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED, reminded_at__isnull=True, date__gt=today
        )
        .values_list("center_id", flat=True)
        .distinct()
    )
    for center in Center.objects.filter(pk__in=list(center_ids)):
        if not is_known_workday(center.pk, today) or local.time() < center.morning_opens:
            continue
        try:
            next_workday = calendar_for(center.pk).add_workdays(today, 1)
        except CalendarRangeError:
            continue
        due = Appointment.objects.filter(
            center=center,
            status=AppointmentStatus.BOOKED,
            reminded_at__isnull=True,
            date__gt=today,
            date__lte=next_workday,
        ).select_related("group")
        for appointment in due[:5000]:
            with transaction.atomic():
                if not Appointment.objects.filter(
                    pk=appointment.pk, reminded_at__isnull=True
                ).update(reminded_at=now):
                    continue
                appointment_sms(
                    appointment,
                    _(
                        "Reminder: your appointment at %(center)s (%(group)s) is on %(when)s. "
                        "Booking code %(code)s."
                    )
                    % {
                        "center": center.name,
                        "group": appointment.group.name,
                        "when": appointment_when(appointment),
                        "code": appointment.code,
                    },
                    "appointment.remind",
                )
                sent += 1
    return sent
