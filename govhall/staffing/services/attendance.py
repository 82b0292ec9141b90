"""Signing in and out, and closing a day (SPEC §8; seeds/002… 五: at the post 10 minutes before
the morning AND the afternoon opening), and explaining a lapse to the hall director (seeds/000…
篇5 考勤 2; lifecycle in staffing/explanation_transitions.py).

Judgments are by whole clock minutes in the center's local time: seconds are dropped, so with
hours from 8:30 and 10 minutes' early arrival, 8:20:59 is on time and 8:21:00 is one minute
late; a sign-out at 17:29:xx before a 17:30 close is one minute early. Signing in (or out) twice
in one session is refused with a message saying when the first one was recorded.

Both sessions are judged. A sign-in before the morning closes is the morning's (unless the whole
morning is on approved leave), later the afternoon's; a sign-out before the afternoon opens (and
before signing in for it) is the midday one, later the day's. Approved part-day leave is not
lateness: each session is judged on its part not on leave — arrival due at the end of a leave
that covers the opening (the 10 early minutes apply to the opening only), departure due at the
start of a leave that runs to the close; a session wholly on leave is not judged at all.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Staff
from govhall.staffing.events import StaffingEvent
from govhall.staffing.explanation_transitions import (
    DIRECTOR,
    EXPLANATION_TRANSITIONS,
    ExplanationAction,
)
from govhall.staffing.models import Attendance, AttendanceExplanation, HallNetwork, Leave
from govhall.staffing.models.attendance import LAPSE_FIELDS, ExplanationStatus
from govhall.staffing.models.leave import LeaveStatus
from govhall.workdays.queries.calendar import calendar_for


def _minute_of_day(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def late_minutes_for(center: Center, local_time: datetime.time) -> int:
    """Minutes after the latest on-time morning arrival (opening less the early minutes)."""
    due = _minute_of_day(center.morning_opens) - center.early_arrival_minutes
    return max(0, _minute_of_day(local_time) - due)


def early_leave_minutes_for(center: Center, local_time: datetime.time) -> int:
    return max(0, _minute_of_day(center.afternoon_closes) - _minute_of_day(local_time))


@dataclass(frozen=True)
class SessionDue:
    """The judged part of one session, in minutes of the day: the latest on-time arrival and
    the earliest on-time departure."""

    arrive_by: int
    leave_from: int


def _leave_minutes(user_id: int, day: datetime.date) -> list[tuple[int, int]]:
    """The user's approved leave on `day`, as (from, until) minutes of the day."""
    tz = timezone.get_current_timezone()
    starts = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    ends = starts + datetime.timedelta(days=1)
    periods = []
    for leave_from, leave_until in Leave.objects.filter(
        user_id=user_id, status=LeaveStatus.APPROVED, starts_at__lt=ends, ends_at__gt=starts
    ).values_list("starts_at", "ends_at"):
        first = max(leave_from, starts) - starts
        last = min(leave_until, ends) - starts
        periods.append((int(first.total_seconds() // 60), -int(-last.total_seconds() // 60)))
    return periods


def session_dues(
    center: Center, leave: list[tuple[int, int]]
) -> tuple[SessionDue | None, SessionDue | None]:
    """(morning, afternoon): each session's due arrival and departure on its part not on
    `leave`; None for a session wholly on leave."""
    found: list[SessionDue | None] = []
    for opens_at, closes_at in (
        (center.morning_opens, center.morning_closes),
        (center.afternoon_opens, center.afternoon_closes),
    ):
        opens, closes = _minute_of_day(opens_at), _minute_of_day(closes_at)
        free = [(opens, closes)]
        for leave_from, leave_until in leave:
            free = [
                piece
                for start, end in free
                for piece in ((start, min(end, leave_from)), (max(start, leave_until), end))
                if piece[0] < piece[1]
            ]
        if not free:
            found.append(None)
            continue
        first, last = min(start for start, _end in free), max(end for _start, end in free)
        arrive_by = opens - center.early_arrival_minutes if first == opens else first
        found.append(SessionDue(arrive_by=arrive_by, leave_from=last))
    return found[0], found[1]


def _late(due: SessionDue | None, local_time: datetime.time) -> int:
    return 0 if due is None else max(0, _minute_of_day(local_time) - due.arrive_by)


def _early(due: SessionDue | None, local_time: datetime.time) -> int:
    return 0 if due is None else max(0, due.leave_from - _minute_of_day(local_time))


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
    """Sign in for the morning or the afternoon session (see the module's docstring)."""
    center, moment, attendance = _prepare(actor, at, address)
    morning, afternoon = session_dues(center, _leave_minutes(actor.pk, moment.date()))
    in_afternoon = (
        moment.time() >= center.morning_closes
        or morning is None
        or attendance.afternoon_signed_in_at is not None
    )
    if not in_afternoon and attendance.signed_in_at is not None:
        raise Conflict(
            _("You already signed in today at %(time)s.")
            % {"time": timezone.localtime(attendance.signed_in_at).strftime("%H:%M")}
        )
    if in_afternoon and attendance.afternoon_signed_in_at is not None:
        raise Conflict(
            _("You already signed in today at %(time)s for the afternoon.")
            % {"time": timezone.localtime(attendance.afternoon_signed_in_at).strftime("%H:%M")}
        )
    attendance.center = center
    if in_afternoon:
        attendance.afternoon_signed_in_at = moment
        attendance.afternoon_late_minutes = late = _late(afternoon, moment.time())
    else:
        attendance.signed_in_at = moment
        attendance.late_minutes = late = _late(morning, moment.time())
    attendance.missed_sign_in = False
    attendance.sign_in_address = address or None
    attendance.save()
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_SIGN_IN,
        obj=attendance,
        center_id=center.pk,
        data={
            "at": moment.isoformat(),
            "session": "afternoon" if in_afternoon else "morning",
            "late_minutes": late,
        },
    )
    return attendance


@transaction.atomic
def attendance_sign_out(
    *, actor: User, at: datetime.datetime | None = None, address: str | None = None
) -> Attendance:
    """Sign out at midday or for the day (see the module's docstring)."""
    center, moment, attendance = _prepare(actor, at, address)
    morning, afternoon = session_dues(center, _leave_minutes(actor.pk, moment.date()))
    at_midday = (
        moment.time() < center.afternoon_opens
        and attendance.afternoon_signed_in_at is None
        and attendance.signed_out_at is None
    )
    if at_midday and attendance.morning_signed_out_at is not None:
        raise Conflict(
            _("You already signed out today at %(time)s for midday.")
            % {"time": timezone.localtime(attendance.morning_signed_out_at).strftime("%H:%M")}
        )
    if not at_midday and attendance.signed_out_at is not None:
        raise Conflict(
            _("You already signed out today at %(time)s.")
            % {"time": timezone.localtime(attendance.signed_out_at).strftime("%H:%M")}
        )
    signed_in = [t for t in (attendance.signed_in_at, attendance.afternoon_signed_in_at) if t]
    if signed_in and moment < max(signed_in):
        raise ValidationError(_("Signing out cannot come before signing in."))
    if at_midday:
        attendance.morning_signed_out_at = moment
        attendance.morning_early_leave_minutes = early = _early(morning, moment.time())
    else:
        attendance.signed_out_at = moment
        attendance.early_leave_minutes = early = _early(afternoon, moment.time())
    attendance.save()
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_SIGN_OUT,
        obj=attendance,
        center_id=center.pk,
        data={
            "at": moment.isoformat(),
            "session": "morning" if at_midday else "afternoon",
            "early_leave_minutes": early,
        },
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
            When(
                signed_in_at__isnull=True,
                afternoon_signed_in_at__isnull=True,
                on_leave=False,
                then=Value(True),
            ),
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


# --- explaining a lateness or early leave to the hall director ---------------------------------


def _explanation_parties(actor: object, explanation: AttendanceExplanation) -> frozenset[str]:
    """The parties of `explanation`'s table that `actor` is (the person is never a party)."""
    if getattr(actor, "pk", None) == explanation.attendance.user_id:
        return frozenset()
    if manages_center(actor, explanation.attendance.center_id):
        return DIRECTOR
    return frozenset()


def explanation_refusal(
    actor: object, explanation: AttendanceExplanation, action: str
) -> str | None:
    """Why `actor` may not take `action` on `explanation` (the transition table), or None."""
    parties = _explanation_parties(actor, explanation)
    if not parties & EXPLANATION_TRANSITIONS.who_may(action):
        return _("Only the hall director decides on an attendance explanation.")
    row = EXPLANATION_TRANSITIONS.row(explanation.status, action)
    if row is None:
        return _("This explanation has already been decided.")
    if not parties & row.who:
        return _("Only the hall director decides on an attendance explanation.")
    return None


def explanation_actions(user: object, explanation: AttendanceExplanation) -> list[Transition]:
    """The rows of the table `user` may take on `explanation`: the buttons, the API's actions."""
    return [
        row
        for row in EXPLANATION_TRANSITIONS.rows_from(explanation.status)
        if explanation_refusal(user, explanation, row.action) is None
    ]


@transaction.atomic
def attendance_explain(
    *, actor: User, attendance: Attendance, lapse: str, reason: str
) -> AttendanceExplanation:
    """Explain one lapse (a session's lateness or early leave) of one's own day."""
    errors = FieldErrors()
    reason = (reason or "").strip()
    row = Attendance.objects.select_for_update().filter(pk=attendance.pk).first()
    if row is None or row.user_id != actor.pk:
        raise ValidationError(_("You can only explain your own attendance."))
    if lapse not in LAPSE_FIELDS:
        errors.add("lapse", _("Choose a lateness or early leave to explain."))
    elif not getattr(row, LAPSE_FIELDS[lapse][0]):
        errors.add("lapse", _("There is no such lateness or early leave on that day to explain."))
    if not reason:
        errors.add("reason", _("Say why."))
    elif len(reason) > 300:
        errors.add("reason", _("At most 300 characters."))
    errors.raise_if_any()
    if AttendanceExplanation.objects.filter(attendance=row, lapse=lapse).exists():
        raise Conflict(_("This lateness or early leave has already been explained."))
    explanation = AttendanceExplanation.objects.create(attendance=row, lapse=lapse, reason=reason)
    record_event(
        actor=actor,
        action=StaffingEvent.ATTENDANCE_EXPLAIN,
        obj=explanation,
        center_id=row.center_id,
        data={"date": row.date.isoformat(), "lapse": lapse},
    )
    return explanation


@transaction.atomic
def attendance_explanation_decide(
    *, actor: User, explanation: AttendanceExplanation, action: str, note: str = ""
) -> AttendanceExplanation:
    """The hall director accepts or rejects an explanation; an accepted one excuses the lapse
    (the monthly report and the people scan stop counting it)."""
    found = (
        AttendanceExplanation.objects.select_for_update(of=("self",))
        .select_related("attendance")
        .filter(pk=explanation.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No such explanation."))
    refusal = explanation_refusal(actor, found, action)
    if refusal:
        if EXPLANATION_TRANSITIONS.row(found.status, action) is None and _explanation_parties(
            actor, found
        ):
            raise Conflict(refusal)
        raise ValidationError(refusal)
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("At most 300 characters.")})
    row = EXPLANATION_TRANSITIONS.row(found.status, action)
    assert row is not None and row.next_state is not None
    found.status = row.next_state
    found.decided_by = actor
    found.decided_at = timezone.now()
    found.decision_note = note
    found.save()
    if found.status == ExplanationStatus.ACCEPTED:
        attendance = Attendance.objects.select_for_update().get(pk=found.attendance_id)
        setattr(attendance, LAPSE_FIELDS[found.lapse][1], True)
        attendance.save()  # moves `updated_at`: the people scan sees the row again
    record_event(
        actor=actor,
        action=(
            StaffingEvent.ATTENDANCE_EXPLANATION_ACCEPT
            if action == ExplanationAction.ACCEPT
            else StaffingEvent.ATTENDANCE_EXPLANATION_REJECT
        ),
        obj=found,
        center_id=found.attendance.center_id,
        data={"lapse": found.lapse, "note": note},
    )
    return found
