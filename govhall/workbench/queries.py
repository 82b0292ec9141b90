"""Composed reads for the workbench home page: what waits for the signed-in user (issue 17
item 7). Each card asks the owning app's own query and `can_*` question; every count is one SQL
COUNT (or one aggregate), so the number of queries does not grow with the data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from govhall.cases.access.cases import can_carry_cases, can_read_cases
from govhall.cases.queries.agency import carried_count
from govhall.cases.queries.cases import inbox_counts
from govhall.core.models import User
from govhall.feedback.access.complaints import (
    assigned_to_department,
    can_read_assigned_complaints,
    complaints_in_scope,
    is_complaint_handler,
)
from govhall.feedback.access.rating_follow_up import can_read_bad_ratings
from govhall.feedback.access.work_orders import can_read_work_orders, work_orders_in_scope
from govhall.feedback.models import ComplaintStatus, WorkOrderStatus
from govhall.feedback.queries.complaints import OPEN_STATUSES as OPEN_COMPLAINTS
from govhall.feedback.queries.rating_follow_up import bad_rating_inbox
from govhall.frontdesk.access.appointments import appointments_in_scope, can_read_appointments
from govhall.frontdesk.access.inquiries import can_log_inquiries, can_receive_inquiries
from govhall.frontdesk.access.tickets import can_use_console
from govhall.frontdesk.queries.appointments import pending_requests
from govhall.frontdesk.queries.inquiries import follow_ups, transfers_to_me
from govhall.frontdesk.queries.queue import waiting_at_windows
from govhall.org.access.scope import scope_of
from govhall.staffing.access.attendance import can_decide_attendance_explanations
from govhall.staffing.queries.attendance import explanations_to_decide
from govhall.staffing.queries.cover import absences_to_decide, window_ids_at_hand
from govhall.staffing.queries.leave import leaves_to_decide
from govhall.staffing.services.presence import needs_approval_q
from govhall.supervision.access.alerts import can_read_alert_inbox
from govhall.supervision.models import AlertStatus
from govhall.supervision.queries.alerts import InboxBox, alert_inbox

# The inbox parts the "waiting for me" card adds up; the overdue parts get cards of their own.
MY_STEP_PARTS = ("window", "prereview", "back_office", "joint", "escalated")
OVERDUE_PARTS = ("pending_overdue", "overdue_joint", "overdue")


@dataclass(frozen=True)
class WorkCard:
    key: str
    label: str | Promise
    count: int
    url: str
    # "bad": something is late; shown red.
    tone: str = ""


@dataclass
class WorkGroup:
    key: str
    title: str | Promise
    cards: list[WorkCard] = field(default_factory=list)


def open_complaints(user: User) -> tuple[int, str]:
    """The complaints waiting for `user` and the list that shows them: a handler's open ones,
    or those assigned to the user's department; (0, "") for anyone else. The home's work card
    and the hall-now panel both ask this."""
    if is_complaint_handler(user):
        count = complaints_in_scope(user).filter(status__in=OPEN_COMPLAINTS).count()
        return count, reverse("workbench:complaints")
    if can_read_assigned_complaints(user):
        count = assigned_to_department(user).filter(status=ComplaintStatus.ASSIGNED).count()
        return count, reverse("workbench:complaints_assigned")
    return 0, ""


def _url(name: str, **query: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _agency_cards(user: User) -> list[WorkCard]:
    """代办 (issue 19 item 6): the open cases an agent carries; one COUNT."""
    if not can_carry_cases(user):
        return []
    url = reverse("workbench:agency_cases")
    return [WorkCard("agency", _("Cases I carry"), carried_count(user), url)]


def _case_cards(user: User, today: datetime.date, now: datetime.datetime) -> list[WorkCard]:
    if not can_read_cases(user):
        return _agency_cards(user)
    counts = inbox_counts(user, today, now)
    inbox = reverse("workbench:case_inbox")
    cards = []
    if any(key in counts for key in MY_STEP_PARTS):
        cards.append(
            WorkCard(
                "inbox",
                _("Cases waiting for my step"),
                sum(counts.get(key, 0) for key in MY_STEP_PARTS),
                inbox,
            )
        )
    labels = {
        "pending_overdue": _("Pending materials overdue"),
        "overdue_joint": _("Overdue joint review tasks"),
        "overdue": _("Overdue cases"),
    }
    for key in OVERDUE_PARTS:
        if counts.get(key):
            url = _url("workbench:cases", due="overdue") if key == "overdue" else inbox
            cards.append(WorkCard(key, labels[key], counts[key], url, tone="bad"))
    return cards + _agency_cards(user)


def _queue_cards(user: User, today: datetime.date, now: datetime.datetime) -> list[WorkCard]:
    if not can_use_console(user):
        return []
    count = waiting_at_windows(window_ids_at_hand(user, now), today)
    return [
        WorkCard(
            "tickets",
            _("Tickets waiting for my windows"),
            count,
            reverse("workbench:queue_console"),
        )
    ]


def _approval_cards(user: User, now: datetime.datetime) -> list[WorkCard]:
    """Decisions waiting for the user; a card only when something waits."""
    cards = []
    leaves = leaves_to_decide(user).count()
    if leaves:
        cards.append(WorkCard("leave", _("Leave requests"), leaves, reverse("workbench:leaves")))
    absences = absences_to_decide(user).filter(needs_approval_q(now)).count()
    if absences:
        cards.append(
            WorkCard(
                "absences",
                _("Absences to approve"),
                absences,
                reverse("workbench:my_absence"),
            )
        )
    # Off-hours requests are decided by the management of their center.
    if can_read_appointments(user) and scope_of(user).can_manage:
        requests = pending_requests(appointments_in_scope(user)).count()
        if requests:
            cards.append(
                WorkCard(
                    "off_hours",
                    _("Off-hours requests"),
                    requests,
                    reverse("workbench:appointment_requests"),
                )
            )
    if can_decide_attendance_explanations(user):
        explanations = explanations_to_decide(user).count()
        if explanations:
            cards.append(
                WorkCard(
                    "explanations",
                    _("Attendance explanations"),
                    explanations,
                    reverse("workbench:attendance_explanations"),
                )
            )
    return cards


def _follow_up_cards(user: User, today: datetime.date, now: datetime.datetime) -> list[WorkCard]:
    cards = []
    if can_read_bad_ratings(user):
        ratings = bad_rating_inbox(user, now=now).aggregate(
            open=Count("pk"), late=Count("pk", filter=Q(is_overdue=1))
        )
        if ratings["open"]:
            cards.append(
                WorkCard(
                    "bad_ratings",
                    _("Bad ratings to follow up"),
                    ratings["open"],
                    reverse("workbench:bad_ratings"),
                    tone="bad" if ratings["late"] else "",
                )
            )
    complaints, url = open_complaints(user)
    if complaints:
        cards.append(WorkCard("complaints", _("Open complaints"), complaints, url))
    if can_read_work_orders(user):
        orders = (
            work_orders_in_scope(user)
            .filter(status__in=(WorkOrderStatus.RECEIVED, WorkOrderStatus.SIGNED))
            .count()
        )
        if orders:
            cards.append(
                WorkCard(
                    "work_orders",
                    _("12345 work orders open"),
                    orders,
                    reverse("workbench:work_orders"),
                )
            )
    if can_log_inquiries(user):
        mine = follow_ups(user, today).count()
        if mine:
            cards.append(
                WorkCard(
                    "inquiry_follow_ups",
                    _("My inquiry follow-ups"),
                    mine,
                    reverse("workbench:inquiry_follow_ups"),
                )
            )
    if can_receive_inquiries(user):
        transfers = transfers_to_me(user, today).count()
        if transfers:
            cards.append(
                WorkCard(
                    "inquiry_transfers",
                    _("Inquiries transferred to us"),
                    transfers,
                    reverse("workbench:inquiry_transfers"),
                )
            )
    return cards


def _alert_cards(user: User) -> list[WorkCard]:
    if not can_read_alert_inbox(user):
        return []
    pk = getattr(user, "pk", None)
    alerts = alert_inbox(user).aggregate(
        live=Count("pk"),
        mine=Count("pk", filter=Q(responsible_id=pk)),
        decide=Count("pk", filter=Q(status=AlertStatus.EXPLAINED) & ~Q(responsible_id=pk)),
    )
    if not alerts["live"]:
        return []
    cards = [
        WorkCard(
            "alerts",
            _("Open alerts I see"),
            alerts["live"],
            reverse("workbench:alerts"),
        )
    ]
    if alerts["mine"]:
        cards.append(
            WorkCard(
                "my_alerts",
                _("Alerts I answer for"),
                alerts["mine"],
                _url("workbench:alerts", box=InboxBox.MINE),
                tone="bad",
            )
        )
    if alerts["decide"]:
        cards.append(
            WorkCard(
                "alerts_to_decide",
                _("Alert explanations to decide"),
                alerts["decide"],
                _url("workbench:alerts", box=InboxBox.TO_DECIDE),
            )
        )
    return cards


def home_work(user: User, *, now: datetime.datetime | None = None) -> list[WorkGroup]:
    """What waits for `user`, by kind: cases, the queue, approvals, follow-ups, alerts. Groups
    with nothing for the user are left out; a card links to the list it counts."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    groups = [
        WorkGroup("cases", _("Cases"), _case_cards(user, today, moment)),
        WorkGroup("queue", _("Queue"), _queue_cards(user, today, moment)),
        WorkGroup("approvals", _("Waiting for my approval"), _approval_cards(user, moment)),
        WorkGroup("follow_ups", _("Follow-ups due"), _follow_up_cards(user, today, moment)),
        WorkGroup("alerts", _("Supervision alerts"), _alert_cards(user)),
    ]
    return [group for group in groups if group.cards]
