"""Reading appointments: a group's day sheet, lists, pending off-hours requests, the public slot
board and lookup, an outage preview, and the two target rates of seeds/000… 篇1 (七): requests
taken (受理率) and served on time (按时办结率), both as SQL aggregates.

Slots are made on demand: the day sheet and the slot board call `slots_ensure` for the days they
show (a write of missing rows only; see services/appointment_slots.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup, Slot
from govhall.frontdesk.models.appointment import HOLDING_STATUSES, AppointmentQuerySet
from govhall.frontdesk.services.appointment_applicants import last4_matches, normalize_code
from govhall.frontdesk.services.appointment_outage import outage_affected
from govhall.frontdesk.services.appointment_slots import slots_ensure
from govhall.org.models import Center

DUE_STATUSES = (AppointmentStatus.CHECKED_IN, AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW)


def day_sheet(group: ServiceGroup, day: datetime.date) -> list[Slot]:
    """The slots of `group` on `day` with the appointments that hold a place (two queries)."""
    slots_ensure(group, day)
    holders = Appointment.objects.filter(status__in=HOLDING_STATUSES).order_by("id")
    return list(
        Slot.objects.filter(group=group, date=day)
        .order_by("starts")
        .prefetch_related(Prefetch("appointments", queryset=holders, to_attr="holders"))
    )


def day_totals(group: ServiceGroup, day: datetime.date) -> dict[str, int]:
    totals = Slot.objects.filter(group=group, date=day).aggregate(
        capacity=Sum("capacity", filter=Q(closed_reason="")),
        booked=Sum("booked"),
    )
    capacity = totals["capacity"] or 0
    booked = totals["booked"] or 0
    return {"capacity": capacity, "booked": booked, "free": max(0, capacity - booked)}


def slot_board(group: ServiceGroup, days: list[datetime.date]) -> dict[datetime.date, list[Slot]]:
    """The slots of `group` on each of `days` (one query after making missing ones)."""
    for day in days:
        slots_ensure(group, day)
    board: dict[datetime.date, list[Slot]] = {day: [] for day in days}
    for slot in Slot.objects.filter(group=group, date__in=days).order_by("date", "starts"):
        board[slot.date].append(slot)
    return board


def free_by_day(group: ServiceGroup, days: list[datetime.date]) -> dict[datetime.date, int]:
    """Free places per day (slots made first), for the portal's day picker."""
    for day in days:
        slots_ensure(group, day)
    free = dict.fromkeys(days, 0)
    for row in (
        Slot.objects.filter(group=group, date__in=days, closed_reason="")
        .values("date")
        .annotate(places=Sum(F("capacity") - F("booked")))
        .order_by()
    ):
        free[row["date"]] = row["places"] or 0
    return free


def appointment_list(
    qs: AppointmentQuerySet,
    *,
    center: Center | None = None,
    group: ServiceGroup | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    status: str = "",
    off_hours: bool | None = None,
    search: str = "",
) -> QuerySet[Appointment]:
    """Filtered appointments, soonest first, with what a list row shows."""
    if center is not None:
        qs = qs.filter(center=center)
    if group is not None:
        qs = qs.filter(group=group)
    if first is not None:
        qs = qs.filter(date__gte=first)
    if last is not None:
        qs = qs.filter(date__lte=last)
    if status:
        qs = qs.filter(status=status)
    if off_hours is not None:
        qs = qs.filter(is_off_hours=off_hours)
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(code__iexact=normalize_code(search))
            | Q(name__icontains=search)
            | Q(phone=search)
            | Q(id_number__iexact=search)
        )
    return qs.select_related("center", "group", "assigned_to").order_by("date", "starts", "id")


def pending_requests(qs: AppointmentQuerySet) -> QuerySet[Appointment]:
    """Off-hours requests waiting for a manager's decision, soonest first."""
    return (
        qs.filter(status=AppointmentStatus.REQUESTED)
        .select_related("center", "group")
        .order_by("starts_at", "id")
    )


def appointment_lookup(code: str, last4: str) -> Appointment | None:
    """The appointment with this code, when the last 4 characters of its ID number match."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    found = (
        Appointment.objects.select_related("center", "group", "assigned_to")
        .filter(code=normalized)
        .first()
    )
    if found is None or not last4_matches(found, last4):
        return None
    return found


def outage_preview(
    center: Center, start: datetime.datetime, end: datetime.datetime
) -> dict[str, int]:
    """How many appointments an outage of [start, end) would cancel (before confirming)."""
    return Appointment.objects.filter(outage_affected(center, start, end)).aggregate(
        total=Count("pk"),
        booked=Count("pk", filter=Q(status=AppointmentStatus.BOOKED)),
        requested=Count("pk", filter=Q(status=AppointmentStatus.REQUESTED)),
    )


@dataclass(frozen=True)
class AppointmentRates:
    total: int
    taken: int
    due: int
    on_time: int
    no_show: int
    cancelled: int
    off_hours: int
    overtime_minutes: int

    @property
    def taken_rate(self) -> float | None:
        """Requests taken (预约服务受理率): bookings are taken at once, off-hours requests
        once a manager decided them. Target 100%."""
        return round(100 * self.taken / self.total, 1) if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        """Served on time (按时办结率): of the appointments that came due, checked in before
        the end of the slot and served. Target 100%."""
        return round(100 * self.on_time / self.due, 1) if self.due else None


def _rate_aggregates() -> dict[str, Any]:
    return {
        "total": Count("pk"),
        "taken": Count("pk", filter=Q(is_off_hours=False) | Q(decided_at__isnull=False)),
        "due": Count("pk", filter=Q(status__in=DUE_STATUSES)),
        "on_time": Count(
            "pk",
            filter=Q(status=AppointmentStatus.SERVED, checked_in_at__lte=F("ends_at")),
        ),
        "no_show": Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        "cancelled": Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        "off_hours": Count("pk", filter=Q(is_off_hours=True)),
        "overtime_minutes": Sum(
            "overtime_minutes", filter=Q(status__in=(*DUE_STATUSES, AppointmentStatus.BOOKED))
        ),
    }


def _rates(row: dict[str, Any]) -> AppointmentRates:
    return AppointmentRates(
        total=row["total"] or 0,
        taken=row["taken"] or 0,
        due=row["due"] or 0,
        on_time=row["on_time"] or 0,
        no_show=row["no_show"] or 0,
        cancelled=row["cancelled"] or 0,
        off_hours=row["off_hours"] or 0,
        overtime_minutes=row["overtime_minutes"] or 0,
    )


def appointment_rates(
    qs: AppointmentQuerySet, first: datetime.date, last: datetime.date
) -> AppointmentRates:
    """The two target rates over appointments dated in [first, last] (one query). A slot the
    hall cancelled on an outage is neither a request lost nor one served late: those are left
    out."""
    row = (
        qs.filter(date__gte=first, date__lte=last)
        .exclude(cancelled_by_hall=True)
        .aggregate(**_rate_aggregates())
    )
    return _rates(row)


def appointment_rates_by_group(
    qs: AppointmentQuerySet, first: datetime.date, last: datetime.date
) -> list[tuple[dict[str, Any], AppointmentRates]]:
    """The same rates per group (one query)."""
    rows = (
        qs.filter(date__gte=first, date__lte=last)
        .exclude(cancelled_by_hall=True)
        .values("group_id", "group__letter", "group__name", "center__name")
        .annotate(**_rate_aggregates())
        .order_by("center__name", "group__letter")
    )
    return [
        (
            {
                "id": row["group_id"],
                "letter": row["group__letter"],
                "name": row["group__name"],
                "center": row["center__name"],
            },
            _rates(row),
        )
        for row in rows
    ]
