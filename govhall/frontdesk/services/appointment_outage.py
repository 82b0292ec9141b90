"""The hall closing a range of time on an outage (power cut, network outage; seeds/000… 篇1
(六)3): its slots close, every affected appointment is cancelled (not counted against the
applicant), each booking gets the first free slot of its group afterwards, and everyone is told
by SMS."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.frontdesk.appointment_transitions import APPOINTMENT_TRANSITIONS, AppointmentAction
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup, Slot
from govhall.frontdesk.services.appointment_applicants import appointment_insert, appointment_sms
from govhall.frontdesk.services.appointment_slots import (
    appointment_when,
    local_text,
    slot_free_place,
    slot_take_place,
    slots_ensure,
)
from govhall.frontdesk.services.standing import require_manager
from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError

# An outage cancels at most this many days at once (slots are made for every day of it).
OUTAGE_MAX_DAYS = 31
# The reason is kept on each closed slot and cancelled appointment (and told by SMS).
OUTAGE_REASON_MAX = Slot._meta.get_field("closed_reason").max_length or 200


@dataclass
class OutageResult:
    slots_closed: int = 0
    cancelled: int = 0
    rebooked: list[Appointment] = field(default_factory=list)
    not_rebooked: list[Appointment] = field(default_factory=list)


def outage_slots_filter(start: datetime.datetime, end: datetime.datetime) -> Q:
    """Slots overlapping [start, end) (local dates and times)."""
    first, last = timezone.localtime(start), timezone.localtime(end)
    if first.date() == last.date():
        return Q(date=first.date(), ends__gt=first.time(), starts__lt=last.time())
    return (
        Q(date=first.date(), ends__gt=first.time())
        | Q(date__gt=first.date(), date__lt=last.date())
        | Q(date=last.date(), starts__lt=last.time())
    )


def outage_affected(center: Center, start: datetime.datetime, end: datetime.datetime) -> Q:
    """Appointments of `center` an outage of [start, end) cancels."""
    return Q(
        center=center,
        status__in=APPOINTMENT_TRANSITIONS.states_for(AppointmentAction.OUTAGE_CANCEL),
        starts_at__lt=end,
        ends_at__gt=start,
    )


def outage_check(
    errors: FieldErrors, start: datetime.datetime, end: datetime.datetime, reason: object
) -> str:
    """Add the outage's refusals to `errors`; returns the reason as stored."""
    text = errors.text(
        "reason",
        reason,
        max_length=OUTAGE_REASON_MAX,
        required=_("Say why the hall is closed (applicants are told)."),
    )
    if end <= start:
        errors.add("end", _("The end must be after the start."))
    elif (end - start).days >= OUTAGE_MAX_DAYS:
        errors.add(
            "end",
            _("An outage is cancelled at most %(days)d days at a time.")
            % {"days": OUTAGE_MAX_DAYS},
        )
    return text


def outage_validate(
    center: Center, start: datetime.datetime, end: datetime.datetime, reason: str
) -> None:
    """Refuse an outage of `center` the hall could not declare (the preview asks first)."""
    errors = FieldErrors()
    outage_check(errors, start, end, reason)
    errors.raise_if_any()


def _rebook(old: Appointment, after: datetime.datetime) -> Appointment | None:
    """The first free slot of the same group on the next working days after the outage ends
    (the day it ends not counted: the hall needs the time to restart)."""
    group = old.group
    last_day = timezone.localdate(after)
    for offset in range(1, settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD + 1):
        try:
            day = calendar_for(group.center_id).add_workdays(last_day, offset)
        except CalendarRangeError:
            return None
        if Appointment.objects.holding().filter(id_number=old.id_number, date=day).exists():
            continue
        slots_ensure(group, day)
        candidates = Slot.objects.filter(
            group=group, date=day, closed_reason="", booked__lt=F("capacity")
        ).order_by("starts")
        for slot in candidates:
            if not slot_take_place(slot.pk):
                continue  # taken meanwhile
            try:
                with transaction.atomic():
                    return appointment_insert(
                        Appointment(
                            center_id=old.center_id,
                            group=group,
                            slot=slot,
                            date=day,
                            starts=slot.starts,
                            ends=slot.ends,
                            name=old.name,
                            id_number=old.id_number,
                            phone=old.phone,
                            matter=old.matter,
                            channel=old.channel,
                            status=AppointmentStatus.BOOKED,
                            booked_by=old.booked_by,
                            rescheduled_from=old,
                        )
                    )
            except ValidationError:
                slot_free_place(slot.pk)
                break  # the person got another appointment that day meanwhile
    return None


def _outage_text(
    center: Center, reason: str, old: Appointment, new: Appointment | None, resumes: str
) -> str:
    """What the applicant of a cancelled appointment is told."""
    call = _(" or call %(phone)s") % {"phone": center.phone} if center.phone else ""
    if new is not None:
        return _(
            "%(center)s is closed (%(reason)s): your appointment on %(old)s is cancelled. "
            "Service resumes %(resumes)s. We booked you %(new)s instead, code %(code)s; to "
            "change it, cancel it with this code on the online hall and book again%(call)s."
        ) % {
            "center": center.name,
            "reason": reason,
            "old": appointment_when(old),
            "resumes": resumes,
            "new": appointment_when(new),
            "code": new.code,
            "call": call,
        }
    return _(
        "%(center)s is closed (%(reason)s): your appointment on %(old)s is cancelled. "
        "Service resumes %(resumes)s. No free slot was found in the next days; please "
        "book again on the online hall%(call)s."
    ) % {
        "center": center.name,
        "reason": reason,
        "old": appointment_when(old),
        "resumes": resumes,
        "call": call,
    }


@transaction.atomic
def appointments_cancel_range(
    *,
    actor: User,
    center: Center,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str,
    at: datetime.datetime | None = None,
) -> OutageResult:
    """The hall must close from `start` to `end` (power cut, network outage, 篇1 (六)3): close
    the slots, cancel every affected appointment (not counted against the applicant), book each
    one the first free slot of its group afterwards, and tell everyone by SMS."""
    require_manager(actor, center)
    now = at or timezone.now()
    errors = FieldErrors()
    reason = outage_check(errors, start, end, reason)
    errors.raise_if_any()
    result = OutageResult()
    groups = list(ServiceGroup.objects.filter(center=center).select_related("center"))
    day = timezone.localdate(start)
    while day <= timezone.localdate(end):
        for group in groups:
            if group.is_active:
                slots_ensure(group, day)
        day += datetime.timedelta(days=1)
    result.slots_closed = Slot.objects.filter(
        outage_slots_filter(start, end), group__center=center, closed_reason=""
    ).update(closed_reason=reason)
    affected = list(
        Appointment.objects.select_for_update()
        .filter(outage_affected(center, start, end))
        .select_related("group", "center")
        .order_by("starts_at", "id")
    )
    resumes = local_text(end)
    for old in affected:
        was_booked = old.status == AppointmentStatus.BOOKED
        row = APPOINTMENT_TRANSITIONS.row(old.status, AppointmentAction.OUTAGE_CANCEL)
        assert row is not None and row.next_state is not None
        old.status = row.next_state
        old.cancelled_at = now
        old.cancel_reason = reason
        old.cancelled_by_hall = True
        old.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by_hall"])
        slot_free_place(old.slot_id)
        record_event(
            actor=actor,
            action=FrontdeskEvent.APPOINTMENT_CANCEL,
            obj=old,
            center_id=center.pk,
            note=reason,
            data={"by": "hall"},
        )
        result.cancelled += 1
        new = _rebook(old, end) if was_booked and not old.is_off_hours else None
        if new is not None:
            result.rebooked.append(new)
            record_event(
                actor=actor,
                action=FrontdeskEvent.APPOINTMENT_BOOK,
                obj=new,
                center_id=center.pk,
                data={"rescheduled_from": old.pk, "slot": new.slot_id, "channel": new.channel},
            )
        else:
            result.not_rebooked.append(old)
        appointment_sms(old, _outage_text(center, reason, old, new, resumes), "appointment.outage")
    record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_CANCEL_RANGE,
        obj=center,
        center_id=center.pk,
        note=reason,
        data={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "slots_closed": result.slots_closed,
            "cancelled": result.cancelled,
            "rebooked": len(result.rebooked),
        },
    )
    return result
