"""The front-desk scan (SPEC §7, §9): overdue first-inquiry follow-ups and unanswered off-hours
requests, on the engine of `people_scan.py`.

Entry point:
def scan_front_desk(*, now=None, full=False) -> ScanResult

- `inquiry_overdue`, "inquiry:<id>": a transferred first inquiry (首问负责制) still open when more
  than the rule's `threshold_days` working days of its center have passed since the day it was
  received (as the follow-up list counts them). The first responder answers for it.
- `off_hours_overdue`, "off_hours:<id>": an off-hours request (预约延时/非工作时间) neither
  approved nor declined when more than `threshold_days` working days have passed since it was
  made. A hall director of the center answers for it (the rule tells the directors).

Being late is a fact: an alert stays when the matter is finished or answered afterwards; it is
withdrawn ("corrected") when the record is removed or no longer is a transfer / off-hours
request, or when a calendar change moves its limit past now while it is still open. Changes are
found through the records' events (neither model keeps `updated_at`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.frontdesk.models import Appointment, AppointmentStatus, Inquiry
from govhall.frontdesk.models.inquiry import InquiryOutcome, InquiryStatus
from govhall.supervision.models import AlertRule, AlertSubject
from govhall.supervision.services.people_scan import (
    Clock,
    Rows,
    Watch,
    departments_of,
    received_before_limit,
    run_watches,
)
from govhall.supervision.services.raising import AlertDraft
from govhall.supervision.services.scanning import ScanResult, changed_ids

SCAN_NAME = "front_desk"


def _days(rule: AlertRule) -> int:
    return int(rule.threshold_days or 0)


def _evented(model: type[Any]) -> Any:
    def changed(since: datetime.datetime) -> Q:
        return Q(pk__in=changed_ids(model, since))

    return changed


@dataclass(frozen=True)
class _Overdue:
    """Records (`records`) `waiting` for an answer more than the rule's `threshold_days` working
    days of their center after their `since_field` moment: what holds, what an alert stays on
    (answered late is still late), and what may have crossed the limit since the last day."""

    records: Callable[[], Rows]
    since_field: str
    waiting: Q

    def _late(self, rule: AlertRule, clock: Clock, day: datetime.date) -> Q:
        return received_before_limit(clock, self.since_field, _days(rule), day)

    def holding(self, rule: AlertRule, clock: Clock) -> Rows:
        return self.records().filter(self._late(rule, clock, clock.today), self.waiting)

    def still(self, rule: AlertRule, clock: Clock) -> Rows:
        return self.records().filter(~self.waiting | self._late(rule, clock, clock.today))

    def crossed(self, rule: AlertRule, clock: Clock) -> Q:
        assert clock.last_day is not None
        return ~self._late(rule, clock, clock.last_day)


def _due(clock: Clock, center_id: int, start: datetime.datetime, days: int) -> datetime.date | None:
    calendar = clock.calendars.get(center_id) or clock.calendars[None]
    try:
        return calendar.add_workdays(timezone.localdate(start), days)
    except ValueError:
        return None


# --- first inquiries -----------------------------------------------------------------------------


def _transfers() -> Rows:
    return Inquiry.objects.filter(outcome=InquiryOutcome.TRANSFERRED)


_OPEN_TRANSFERS = _Overdue(_transfers, "received_at", Q(status=InquiryStatus.OPEN))


def _inquiry_drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
    found = list(
        rows.values_list(
            "pk",
            "center_id",
            "first_responder_id",
            "received_at",
            "window_id",
            "matter",
            "transferred_department__name",
        )
    )
    departments = departments_of(row[2] for row in found)
    drafts = []
    for pk, center, responder, received, window, matter, receiver in found:
        day = timezone.localdate(received)
        drafts.append(
            AlertDraft(
                subject_key=f"inquiry:{pk}",
                center_id=center,
                occurred_on=clock.today,
                detail=_(
                    "An inquiry received on %(day)s and transferred to %(department)s was not "
                    "followed up within %(days)s working days: %(matter)s"
                )
                % {
                    "day": day.isoformat(),
                    "department": receiver or "?",
                    "days": _days(rule),
                    "matter": " ".join(matter.split())[:80],
                },
                department_id=departments.get(responder),
                window_id=window,
                responsible_id=responder,
                due_on=_due(clock, center, received, _days(rule)),
            )
        )
    return drafts


# --- off-hours requests --------------------------------------------------------------------------


def _off_hours() -> Rows:
    return Appointment.objects.filter(is_off_hours=True)


_UNANSWERED_OFF_HOURS = _Overdue(_off_hours, "created_at", Q(status=AppointmentStatus.REQUESTED))


def _directors(center_ids: set[int]) -> dict[int, int]:
    """The first active hall director of each center (one query)."""
    found: dict[int, int] = {}
    rows = (
        User.objects.filter(
            is_active=True, groups__name=Role.DIRECTOR.value, staff__center_id__in=center_ids
        )
        .order_by("pk")
        .values_list("staff__center_id", "pk")
    )
    for center, pk in rows:
        found.setdefault(center, pk)
    return found


def _off_hours_drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
    found = list(rows.values_list("pk", "center_id", "code", "created_at", "date", "starts"))
    directors = _directors({row[1] for row in found})
    departments = departments_of(directors.values())
    drafts = []
    for pk, center, code, created, day, starts in found:
        director = directors.get(center)
        drafts.append(
            AlertDraft(
                subject_key=f"off_hours:{pk}",
                center_id=center,
                occurred_on=clock.today,
                detail=_(
                    "The off-hours request %(code)s made on %(made)s for %(day)s %(time)s was "
                    "not answered within %(days)s working days."
                )
                % {
                    "code": code,
                    "made": timezone.localdate(created).isoformat(),
                    "day": day.isoformat(),
                    "time": starts.strftime("%H:%M"),
                    "days": _days(rule),
                },
                department_id=departments.get(director) if director else None,
                responsible_id=director,
                due_on=_due(clock, center, created, _days(rule)),
            )
        )
    return drafts


FRONT_DESK_WATCHES = (
    Watch(
        subject=AlertSubject.INQUIRY_OVERDUE.value,
        model=Inquiry,
        prefix="inquiry:",
        suffix="",
        holding=_OPEN_TRANSFERS.holding,
        still=_OPEN_TRANSFERS.still,
        changed=_evented(Inquiry),
        crossed=_OPEN_TRANSFERS.crossed,
        drafts=_inquiry_drafts,
    ),
    Watch(
        subject=AlertSubject.OFF_HOURS_OVERDUE.value,
        model=Appointment,
        prefix="off_hours:",
        suffix="",
        holding=_UNANSWERED_OFF_HOURS.holding,
        still=_UNANSWERED_OFF_HOURS.still,
        changed=_evented(Appointment),
        crossed=_UNANSWERED_OFF_HOURS.crossed,
        drafts=_off_hours_drafts,
    ),
)


def scan_front_desk(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Overdue inquiry follow-ups and unanswered off-hours requests."""
    return run_watches(SCAN_NAME, FRONT_DESK_WATCHES, now=now, full=full)
