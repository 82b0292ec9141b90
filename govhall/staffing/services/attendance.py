"""Signing in and out, and closing a day (SPEC §8; seeds/002… 到岗: 10 minutes before opening).

Judgments are by whole clock minutes in the center's local time: seconds are dropped, so with
hours from 8:30 and 10 minutes' early arrival, 8:20:59 is on time and 8:21:00 is one minute
late; a sign-out at 17:29:xx before a 17:30 close is one minute early. Signing in (or out) twice
on one day is refused with a message saying when the first one was recorded.
"""

from __future__ import annotations

import datetime
import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.models import Center, Staff
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models import Attendance, HallNetwork, Leave
from govhall.staffing.models.leave import LeaveStatus
from govhall.workdays.queries.calendar import calendar_for


def _minute_of_day(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def late_minutes_for(center: Center, local_time: datetime.time) -> int:
    """Minutes after the latest on-time arrival (opening less the early-arrival minutes)."""
    due = _minute_of_day(center.morning_opens) - center.early_arrival_minutes
    return max(0, _minute_of_day(local_time) - due)


def early_leave_minutes_for(center: Center, local_time: datetime.time) -> int:
    return max(0, _minute_of_day(center.afternoon_closes) - _minute_of_day(local_time))


def _own_center(actor: User) -> Center:
    staff = Staff.objects.select_related("center").filter(user_id=actor.pk).first()
    if staff is None:
        raise ValidationError(_("You are not registered as staff of a center."))
    return staff.center


def _not_a_workday(center: Center, day: datetime.date) -> str:
    """Why nothing is signed on `day` ("" on a working day of the center)."""
    if calendar_for(center.pk).is_workday(day):
        return ""
    return _("%(day)s is not a working day of %(center)s; there is nothing to sign.") % {
        "day": day.isoformat(),
        "center": center.name,
    }


def _check_workday(center: Center, day: datetime.date) -> None:
    refusal = _not_a_workday(center, day)
    if refusal:
        raise ValidationError(refusal)


def address_allowed(center: Center, address: str | None) -> bool:
    """True when the center has no hall networks, or the address lies in one of them."""
    ranges = list(HallNetwork.objects.filter(center=center).values_list("cidr", flat=True))
    if not ranges:
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for cidr in ranges:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            continue
        if ip.version == network.version and ip in network:
            return True
    return False


def _check_address(center: Center, address: str | None) -> None:
    if not address_allowed(center, address):
        raise ValidationError(
            _("Signing is only possible from the hall's network; your address %(address)s is not.")
            % {"address": address or "?"}
        )


def _prepare(
    actor: User, at: datetime.datetime | None, address: str | None
) -> tuple[Center, datetime.datetime, Attendance]:
    center = _own_center(actor)
    moment = timezone.localtime(at or timezone.now())
    _check_workday(center, moment.date())
    _check_address(center, address)
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        user=actor, date=moment.date(), defaults={"center": center}
    )
    return center, moment, attendance


@transaction.atomic
def attendance_sign_in(
    *, actor: User, at: datetime.datetime | None = None, address: str | None = None
) -> Attendance:
    center, moment, attendance = _prepare(actor, at, address)
    if attendance.signed_in_at is not None:
        raise Conflict(
            _("You already signed in today at %(time)s.")
            % {"time": timezone.localtime(attendance.signed_in_at).strftime("%H:%M")}
        )
    attendance.center = center
    attendance.signed_in_at = moment
    attendance.late_minutes = late_minutes_for(center, moment.time())
    attendance.missed_sign_in = False
    attendance.sign_in_address = address or None
    attendance.save()
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_SIGN_IN,
        obj=attendance,
        center_id=center.pk,
        data={"at": moment.isoformat(), "late_minutes": attendance.late_minutes},
    )
    return attendance


@transaction.atomic
def attendance_sign_out(
    *, actor: User, at: datetime.datetime | None = None, address: str | None = None
) -> Attendance:
    center, moment, attendance = _prepare(actor, at, address)
    if attendance.signed_out_at is not None:
        raise Conflict(
            _("You already signed out today at %(time)s.")
            % {"time": timezone.localtime(attendance.signed_out_at).strftime("%H:%M")}
        )
    if attendance.signed_in_at is not None and moment < attendance.signed_in_at:
        raise ValidationError(_("Signing out cannot come before signing in."))
    attendance.signed_out_at = moment
    attendance.early_leave_minutes = early_leave_minutes_for(center, moment.time())
    attendance.save()
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_SIGN_OUT,
        obj=attendance,
        center_id=center.pk,
        data={"at": moment.isoformat(), "early_leave_minutes": attendance.early_leave_minutes},
    )
    return attendance


@transaction.atomic
def attendance_close_day(
    *, actor: User, center: Center, day: datetime.date, at: datetime.datetime | None = None
) -> dict[str, int]:
    """Mark who missed signing in on `day` and who was on approved leave; safe to repeat.

    Every active staff member of the center gets a row for the day. A day can be closed once it
    has begun at `at` (default now); closing today early marks everyone not yet signed in, and
    closing again later corrects the marks.
    """
    errors = FieldErrors()
    refusal = _not_a_workday(center, day)
    if refusal:
        errors.add("day", refusal)
    if day > timezone.localdate(at or timezone.now()):
        errors.add("day", _("A day can only be closed once it has begun."))
    errors.raise_if_any()
    tz = timezone.get_current_timezone()
    day_starts = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    day_ends = day_starts + datetime.timedelta(days=1)

    staff_user_ids = Staff.objects.filter(center=center, user__is_active=True).values("user_id")
    Attendance.objects.bulk_create(
        [
            Attendance(user_id=user_id, center=center, date=day)
            for user_id in staff_user_ids.exclude(
                user_id__in=Attendance.objects.filter(date=day).values("user_id")
            ).values_list("user_id", flat=True)
        ],
        ignore_conflicts=True,
    )
    rows = Attendance.objects.filter(center=center, date=day, user_id__in=staff_user_ids)
    approved_leave = Leave.objects.filter(
        user_id=OuterRef("user_id"),
        status=LeaveStatus.APPROVED,
        starts_at__lt=day_ends,
        ends_at__gt=day_starts,
    )
    # A bulk update skips auto_now: set `updated_at` (the wall clock) so that readers of
    # "changed since" (the people scan) see the rows closed again.
    saved = timezone.now()
    rows.update(on_leave=Exists(approved_leave), updated_at=saved)
    rows.update(
        missed_sign_in=Case(
            When(signed_in_at__isnull=True, on_leave=False, then=Value(True)),
            default=Value(False),
        ),
        updated_at=saved,
    )
    counts = rows.aggregate(
        missed=Count("pk", filter=Q(missed_sign_in=True)),
        on_leave=Count("pk", filter=Q(on_leave=True)),
    )
    missed, on_leave = counts["missed"], counts["on_leave"]
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_CLOSE_DAY,
        obj=center,
        center_id=center.pk,
        data={"date": day.isoformat(), "missed": missed, "on_leave": on_leave},
    )
    return {"missed": missed, "on_leave": on_leave}
