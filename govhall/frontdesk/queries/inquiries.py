"""Reads of first inquiries (首问负责制, SPEC §7): the scoped list with its filters, the first
responder's follow-up list, the receiving department's list, the phone record book
(电话咨询记录本, seeds/000… 篇1: 各业务窗口应设立电话咨询记录簿) and the rates.

Targets (seeds/000… 篇1 首问负责制度 工作标准): 咨询首问受理率 100% — every contact is logged,
so "received" is the count of logged contacts; 首问事项办结率 ≥ 95% — the share of those
received in the period that are finished. Every rate table is one SQL query (GROUP BY with
filtered COUNTs); lists load their related rows in the list's own query.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import Event
from govhall.frontdesk.access.inquiries import department_of, inquiries_in_scope
from govhall.frontdesk.models import Inquiry, InquiryChannel, InquiryOutcome, InquiryStatus
from govhall.frontdesk.models.inquiry import InquiryQuerySet
from govhall.org.access.scope import scope_of
from govhall.workdays.queries.calendar import calendar_for, day_start

LIST_RELATED = (
    "center",
    "first_responder",
    "window",
    "guided_window",
    "transferred_department",
    "acknowledged_by",
    "done_by",
)
FINISHED_TARGET = Decimal("95")
RECEIVED_TARGET = Decimal("100")

PERIOD_DAY = "day"
PERIOD_WEEK = "week"
PERIOD_MONTH = "month"
PERIODS = (PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH)


# --- filters and the list -----------------------------------------------------------------------


@dataclass(frozen=True)
class InquiryFilters:
    channel: str = ""
    outcome: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    responder_id: int | None = None
    department_id: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> InquiryFilters:
        def text(name: str) -> str:
            return str(query.get(name) or "").strip()

        def number(name: str) -> int | None:
            raw = text(name)
            return int(raw) if raw.isdigit() else None

        def day(name: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(text(name)) if text(name) else None
            except ValueError:
                return None

        channel, outcome, status = text("channel"), text("outcome"), text("status")
        return cls(
            channel=channel if channel in InquiryChannel.values else "",
            outcome=outcome if outcome in InquiryOutcome.values else "",
            status=status if status in InquiryStatus.values else "",
            date_from=day("from"),
            date_to=day("to"),
            responder_id=number("responder"),
            department_id=number("department"),
            q=text("q")[:60],
        )


def apply_filters(qs: InquiryQuerySet, filters: InquiryFilters) -> InquiryQuerySet:
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.date_from is not None:
        qs = qs.filter(received_at__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(received_at__lt=day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.responder_id is not None:
        qs = qs.filter(first_responder_id=filters.responder_id)
    if filters.department_id is not None:
        qs = qs.filter(transferred_department_id=filters.department_id)
    if filters.q:
        qs = qs.filter(
            Q(matter__icontains=filters.q)
            | Q(contact_name__icontains=filters.q)
            | Q(transferred_contact__icontains=filters.q)
        )
    return qs


def inquiry_list(user: object, filters: InquiryFilters | None = None) -> InquiryQuerySet:
    """The inquiries the user may see, newest first, with their list columns."""
    qs = inquiries_in_scope(user)
    if filters is not None:
        qs = apply_filters(qs, filters)
    return qs.select_related(*LIST_RELATED).order_by("-received_at", "-id")


def recent_logged_by(user: object, limit: int = 10) -> list[Inquiry]:
    """The last entries the user logged (shown under the quick form)."""
    pk = getattr(user, "pk", None)
    return list(
        Inquiry.objects.filter(first_responder_id=pk)
        .select_related(*LIST_RELATED)
        .order_by("-received_at", "-id")[:limit]
    )


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_cutoff(center_id: int | None, today: datetime.date) -> datetime.datetime:
    """An open transfer received before this moment is overdue: more than
    GOVHALL_INQUIRY_FOLLOW_UP_DAYS working days have passed since the day it was received."""
    days = settings.GOVHALL_INQUIRY_FOLLOW_UP_DAYS
    try:
        cutoff = calendar_for(center_id).subtract_workdays(today, days)
    except ValueError:  # a day outside the calendar's range: weekends only
        cutoff, left = today, days
        while left:
            cutoff -= datetime.timedelta(days=1)
            if cutoff.weekday() < 5:
                left -= 1
    return day_start(cutoff)


def due_on(inquiry: Inquiry) -> datetime.date | None:
    """The last working day the receiver has before an open transfer counts as overdue."""
    day = timezone.localtime(inquiry.received_at).date()
    try:
        return calendar_for(inquiry.center_id).add_workdays(
            day, settings.GOVHALL_INQUIRY_FOLLOW_UP_DAYS
        )
    except ValueError:
        return None


def with_overdue(qs: InquiryQuerySet, cutoff: datetime.datetime) -> InquiryQuerySet:
    return qs.annotate(
        overdue=Case(
            When(status=InquiryStatus.OPEN, received_at__lt=cutoff, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _home_center_id(user: object) -> int | None:
    root = scope_of(user).root
    return root.pk if root is not None else None


def follow_ups(user: object, today: datetime.date | None = None) -> InquiryQuerySet:
    """The user's open transfers (首问责任人督办), oldest first, each with `overdue`."""
    day = today or timezone.localdate()
    cutoff = follow_up_cutoff(_home_center_id(user), day)
    qs = Inquiry.objects.filter(
        first_responder_id=getattr(user, "pk", None),
        outcome=InquiryOutcome.TRANSFERRED,
        status=InquiryStatus.OPEN,
    )
    return with_overdue(qs.select_related(*LIST_RELATED), cutoff).order_by("received_at", "id")


def transfers_to_me(
    user: object, today: datetime.date | None = None, *, include_done: bool = False
) -> InquiryQuerySet:
    """Matters transferred to the user's department (managers: to any department of the centers
    they manage), open ones first and oldest first, each with `overdue`."""
    day = today or timezone.localdate()
    cutoff = follow_up_cutoff(_home_center_id(user), day)
    scope = scope_of(user)
    qs = inquiries_in_scope(user).filter(outcome=InquiryOutcome.TRANSFERRED)
    if not scope.can_manage:
        department = department_of(user)
        if department is None:
            return Inquiry.objects.none()
        qs = qs.filter(transferred_department_id=department)
    if not include_done:
        qs = qs.filter(status=InquiryStatus.OPEN)
    return with_overdue(qs.select_related(*LIST_RELATED), cutoff).order_by(
        "-status", "received_at", "id"
    )


def phone_book(user: object, date_from: datetime.date, date_to: datetime.date) -> InquiryQuerySet:
    """The phone record book (电话咨询记录本): phone inquiries in a date range, oldest first."""
    qs = inquiries_in_scope(user).phone_book()
    qs = apply_filters(qs, InquiryFilters(date_from=date_from, date_to=date_to))
    return qs.select_related(*LIST_RELATED).order_by("received_at", "id")


# --- rates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime.datetime:
        return day_start(self.last + datetime.timedelta(days=1))

    def shifted(self, steps: int) -> Period:
        if self.kind == PERIOD_DAY:
            return period_of(PERIOD_DAY, self.first + datetime.timedelta(days=steps))
        if self.kind == PERIOD_WEEK:
            return period_of(PERIOD_WEEK, self.first + datetime.timedelta(days=7 * steps))
        index = self.first.year * 12 + self.first.month - 1 + steps
        return period_of(PERIOD_MONTH, datetime.date(index // 12, index % 12 + 1, 1))


def period_of(kind: str, day: datetime.date) -> Period:
    """The day, the week (Monday to Sunday) or the month holding `day`."""
    if kind == PERIOD_WEEK:
        first = day - datetime.timedelta(days=day.weekday())
        return Period(kind, first, first + datetime.timedelta(days=6))
    if kind == PERIOD_MONTH:
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return Period(kind, first, following - datetime.timedelta(days=1))
    return Period(PERIOD_DAY, day, day)


@dataclass(frozen=True)
class RateRow:
    """One row of a rate table: inquiries received and finished, and the finished rate."""

    key: Any
    label: str
    received: int
    finished: int
    transferred: int = 0
    open: int = 0
    overdue: int = 0
    acknowledged: int = 0

    @property
    def finished_rate(self) -> Decimal | None:
        if not self.received:
            return None
        rate = Decimal(self.finished * 100) / Decimal(self.received)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool:
        rate = self.finished_rate
        return rate is None or rate >= FINISHED_TARGET

    def as_dict(self) -> dict[str, Any]:
        rate = self.finished_rate
        return {
            "key": self.key,
            "label": self.label,
            "received": self.received,
            "finished": self.finished,
            "transferred": self.transferred,
            "open": self.open,
            "overdue": self.overdue,
            "acknowledged": self.acknowledged,
            "finished_rate": float(rate) if rate is not None else None,
            "meets_target": self.meets_target,
        }


@dataclass(frozen=True)
class Rates:
    period: Period
    total: RateRow
    by_staff: list[RateRow]
    by_window: list[RateRow]
    by_department: list[RateRow]
    by_receiver: list[RateRow]


def _counts(cutoff: datetime.datetime) -> dict[str, Count]:
    return {
        "received": Count("id"),
        "finished": Count("id", filter=Q(status=InquiryStatus.DONE)),
        "transferred": Count("id", filter=Q(outcome=InquiryOutcome.TRANSFERRED)),
        "open": Count("id", filter=Q(status=InquiryStatus.OPEN)),
        "overdue": Count("id", filter=Q(status=InquiryStatus.OPEN, received_at__lt=cutoff)),
        "acknowledged": Count("id", filter=Q(acknowledged_at__isnull=False)),
    }


def _rows(values: Iterable[dict[str, Any]], key: str, label_of: Any) -> list[RateRow]:
    return [
        RateRow(
            key=row[key],
            label=label_of(row),
            received=row["received"],
            finished=row["finished"],
            transferred=row["transferred"],
            open=row["open"],
            overdue=row["overdue"],
            acknowledged=row["acknowledged"],
        )
        for row in values
    ]


def rates(
    qs: QuerySet[Inquiry],
    period: Period,
    *,
    today: datetime.date | None = None,
    center_id: int | None = None,
) -> Rates:
    """Rates of the inquiries received in `period` among `qs`, five queries (one per table)."""
    in_period = qs.filter(received_at__gte=period.start, received_at__lt=period.end).order_by()
    cutoff = follow_up_cutoff(center_id, today or timezone.localdate())
    counts = _counts(cutoff)
    total = in_period.aggregate(**counts)
    staff = (
        in_period.values(
            "first_responder_id", "first_responder__full_name", "first_responder__username"
        )
        .annotate(**counts)
        .order_by("-received", "first_responder__username")
    )
    windows = (
        in_period.values("window_id", "window__number", "window__name")
        .annotate(**counts)
        .order_by("window__number", "window_id")
    )
    departments = (
        in_period.values(
            "first_responder__staff__department_id", "first_responder__staff__department__name"
        )
        .annotate(**counts)
        .order_by("first_responder__staff__department__name")
    )
    receivers = (
        in_period.filter(outcome=InquiryOutcome.TRANSFERRED)
        .values("transferred_department_id", "transferred_department__name")
        .annotate(**counts)
        .order_by("-received", "transferred_department__name")
    )

    def window_label(row: dict[str, Any]) -> str:
        if row["window_id"] is None:
            return _("Front desk (no window)")
        return f"{row['window__number']} · {row['window__name']}"

    return Rates(
        period=period,
        total=RateRow(
            key=None,
            label=_("All"),
            received=total["received"],
            finished=total["finished"],
            transferred=total["transferred"],
            open=total["open"],
            overdue=total["overdue"],
            acknowledged=total["acknowledged"],
        ),
        by_staff=_rows(
            staff,
            "first_responder_id",
            lambda r: r["first_responder__full_name"] or r["first_responder__username"],
        ),
        by_window=_rows(windows, "window_id", window_label),
        by_department=_rows(
            departments,
            "first_responder__staff__department_id",
            lambda r: (
                r["first_responder__staff__department__name"] or _("Hall staff (no department)")
            ),
        ),
        by_receiver=_rows(
            receivers, "transferred_department_id", lambda r: r["transferred_department__name"]
        ),
    )


def rates_for(
    user: object,
    period: Period,
    *,
    center_id: int | None = None,
    today: datetime.date | None = None,
) -> Rates:
    """The rates of what the user may see (optionally one center of their scope)."""
    qs: QuerySet[Inquiry] = inquiries_in_scope(user)
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    return rates(qs, period, today=today, center_id=center_id or _home_center_id(user))


def inquiry_timeline(inquiry: Inquiry) -> QuerySet[Any]:
    """The inquiry's events, oldest first (logged, taken on, finished, contact viewed)."""
    return (
        Event.objects.filter(object_type="frontdesk.inquiry", object_id=str(inquiry.pk))
        .select_related("actor")
        .order_by("id")
    )
