"""An approved off-hours appointment whose named staff member cannot serve (seeds/000… 篇1
六(四): "如责任人确有特殊情况不能受理…应及时向部门分管领导报告,由部门分管领导另行指派他人代理").

The named person cannot serve when they are on approved leave that day, have left the post
(inactive, or no longer on the center's staff), or said so themself
(`appointment_declare_cannot_serve`). Then the leader of that person's department, or a hall
manager of the center, gives it to another staff member of the department
(`appointment_reassign`). The time does not change, so the applicant gets no SMS; the old and
the new staff member are told (the notification adapter)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.validation import FieldErrors, StateRefusal, refusal_error
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.purposes import FrontdeskPurpose
from govhall.frontdesk.services.appointment_slots import appointment_when
from govhall.frontdesk.services.outreach_rules import assigns_for
from govhall.org.models import Staff
from govhall.staffing.queries.leave import users_on_leave_on_day

NOTE_MAX = Appointment._meta.get_field("cannot_serve_note").max_length or 200


def _approved_off_hours(appointment: Appointment) -> str | None:
    if not appointment.is_off_hours or appointment.assigned_to_id is None:
        return StateRefusal(_("Only an approved off-hours appointment has a named staff member."))
    if appointment.status != AppointmentStatus.BOOKED:
        return StateRefusal(
            _("This appointment is %(status)s; it is not reassigned any more.")
            % {"status": AppointmentStatus(appointment.status).label}
        )
    return None


def _staff_of(user_id: int | None, center_id: int) -> Staff | None:
    if user_id is None:
        return None
    return Staff.objects.filter(user_id=user_id, center_id=center_id).first()


def cannot_serve_reasons(appointment: Appointment) -> list[str]:
    """Why the named staff member cannot serve the appointment (empty: they can)."""
    if appointment.assigned_to_id is None:
        return []
    reasons = []
    person = appointment.assigned_to
    assert person is not None
    if appointment.assigned_to_id in users_on_leave_on_day(
        [appointment.assigned_to_id], appointment.date
    ):
        reasons.append(_("on approved leave that day"))
    if not person.is_active or _staff_of(person.pk, appointment.center_id) is None:
        reasons.append(_("no longer at the post"))
    if appointment.cannot_serve_at is not None:
        reasons.append(
            _("said they cannot serve: %(note)s") % {"note": appointment.cannot_serve_note}
        )
    return reasons


def reassign_department_id(appointment: Appointment) -> int | None:
    """The department of the named staff member (whose leader reassigns)."""
    staff = _staff_of(appointment.assigned_to_id, appointment.center_id)
    return staff.department_id if staff else None


def reassign_refusal(actor: User | None, appointment: Appointment) -> str | None:
    """Why `actor` may not give `appointment` to someone else now, or None."""
    state = _approved_off_hours(appointment)
    if state:
        return state
    if not assigns_for(actor, reassign_department_id(appointment), appointment.center):
        return _(
            "Only the leader of the named staff member's department or the hall's director "
            "reassigns this appointment."
        )
    if not cannot_serve_reasons(appointment):
        return StateRefusal(_("The named staff member can serve it; nothing to reassign."))
    return None


def reassign_candidates(appointment: Appointment) -> list[User]:
    """Active staff of the named person's department (or center) free on the day."""
    department_id = reassign_department_id(appointment)
    staff = Staff.objects.filter(center_id=appointment.center_id, user__is_active=True)
    if department_id is not None:
        staff = staff.filter(department_id=department_id)
    if appointment.assigned_to_id is not None:
        staff = staff.exclude(user_id=appointment.assigned_to_id)
    users = [row.user for row in staff.select_related("user")]
    away = users_on_leave_on_day([user.pk for user in users], appointment.date)
    return [user for user in users if user.pk not in away]


def _tell(user: User, text: str, appointment: Appointment) -> None:
    phone = (user.phone or "").strip()
    if not phone:
        return
    pk, center_id = appointment.pk, appointment.center_id

    def send() -> None:
        send_sms(
            to=phone,
            text=text,
            purpose=FrontdeskPurpose.REASSIGNED,
            obj=Appointment(pk=pk),
            center_id=center_id,
        )

    transaction.on_commit(send)


def can_declare_cannot_serve(actor: User | None, appointment: Appointment) -> bool:
    """The named staff member, before saying so, of an approved off-hours appointment."""
    return (
        actor is not None
        and _approved_off_hours(appointment) is None
        and appointment.assigned_to_id == actor.pk
        and appointment.cannot_serve_at is None
    )


@transaction.atomic
def appointment_declare_cannot_serve(
    *,
    actor: User,
    appointment: Appointment,
    note: str,
    at: datetime.datetime | None = None,
) -> Appointment:
    """The named staff member says they cannot serve it (the leader then reassigns it)."""
    now = at or timezone.now()
    locked = Appointment.objects.select_for_update().select_related("center").get(pk=appointment.pk)
    state = _approved_off_hours(locked)
    if state:
        raise refusal_error(state)
    if locked.assigned_to_id != actor.pk:
        raise refusal_error(_("Only the staff member named to serve it can say so."))
    errors = FieldErrors()
    note = errors.text(
        "note", note, max_length=NOTE_MAX, required=_("Say why you cannot serve it.")
    )
    errors.raise_if_any()
    locked.cannot_serve_at = now
    locked.cannot_serve_note = note
    locked.save(update_fields=["cannot_serve_at", "cannot_serve_note"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_DECLARE_CANNOT_SERVE,
        obj=locked,
        center_id=locked.center_id,
        note=note,
    )
    return locked


@transaction.atomic
def appointment_reassign(
    *,
    actor: User,
    appointment: Appointment,
    to: User | None,
    at: datetime.datetime | None = None,
) -> Appointment:
    """Give an approved off-hours appointment whose named staff member cannot serve to another
    staff member of that person's department (free that day)."""
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("center")
        .get(pk=appointment.pk)
    )
    refusal = reassign_refusal(actor, locked)
    if refusal:
        raise refusal_error(refusal)
    errors = FieldErrors()
    department_id = reassign_department_id(locked)
    if to is None:
        errors.add("to", _("Name the staff member who serves it instead."))
    elif to.pk == locked.assigned_to_id:
        errors.add("to", _("Choose someone other than the staff member who cannot serve."))
    else:
        staff = _staff_of(to.pk, locked.center_id)
        if staff is None or not to.is_active:
            errors.add("to", _("The staff member must work in this center."))
        elif department_id is not None and staff.department_id != department_id:
            errors.add("to", _("Choose a staff member of the same department."))
        elif users_on_leave_on_day([to.pk], locked.date):
            errors.add(
                "to",
                _("%(name)s is on leave on %(date)s; choose someone else.")
                % {"name": to.display_name, "date": locked.date.isoformat()},
            )
    errors.raise_if_any()
    assert to is not None
    old = locked.assigned_to
    assert old is not None
    reasons = cannot_serve_reasons(locked)
    locked.assigned_to = to
    locked.cannot_serve_at = None
    locked.cannot_serve_note = ""
    locked.save(update_fields=["assigned_to", "cannot_serve_at", "cannot_serve_note"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_REASSIGN,
        obj=locked,
        center_id=locked.center_id,
        note="; ".join(reasons),
        data={"from": old.pk, "to": to.pk},
    )
    when = appointment_when(locked)
    _tell(
        old,
        _("Off-hours appointment %(code)s on %(when)s is given to %(name)s; you need not serve it.")
        % {"code": locked.code, "when": when, "name": to.display_name},
        locked,
    )
    _tell(
        to,
        _("You serve off-hours appointment %(code)s on %(when)s at %(center)s instead of %(name)s.")
        % {
            "code": locked.code,
            "when": when,
            "center": locked.center.name,
            "name": old.display_name,
        },
        locked,
    )
    return locked
