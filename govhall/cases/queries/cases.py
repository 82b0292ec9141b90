"""Reads of cases for the workbench: the scoped case list with its filters, the inbox of what
the signed-in user must do now, a case's timeline, and the outbox of notifications.

Everything starts from `govhall.cases.access.cases.cases_in_scope`, so a list never shows a case
its reader could not open. Lists load their related rows in the same query (no per-row queries).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.cases.access.cases import can_read_outbox, cases_in_scope
from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES, FINAL_STATUSES, OPEN_STATUSES
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, CaseQuerySet, JointTask, PrereviewTask
from govhall.cases.queries import joint as queries_joint
from govhall.cases.statuses import (
    NOT_COMPLETED,
    CaseStatus,
    Channel,
    PrereviewStatus,
    TaskStatus,
)
from govhall.catalog.models import ItemWindow
from govhall.core.idnumbers import normalize_phone
from govhall.core.models import Event, OutboundMessage, User
from govhall.core.pagination import IdsFirst
from govhall.core.roles import (
    BACK_OFFICE_ROLES,
    ESCALATION_ROLES,
    JOINT_TASK_ROLES,
    MANAGER_ROLES,
    PREREVIEW_TASK_ROLES,
    WINDOW_ROLES,
    Role,
)
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Staff
from govhall.staffing.queries.cover import window_ids_at_hand
from govhall.workdays.queries.calendar import calendar_for

# What a list row shows, loaded in the list's own query.
LIST_RELATED = ("item", "applicant", "window", "department", "center")

# Statuses a window works on (cases at the window).
WINDOW_STATUSES = (
    # an online case back from a supplement uploaded online waits at the window that asked
    CaseStatus.SUBMITTED,
    CaseStatus.RECEIVED,
    CaseStatus.AWAITING_SUPPLEMENT,
    CaseStatus.ACCEPTED,
    CaseStatus.APPROVED,
    CaseStatus.DENIED,
    CaseStatus.CERTIFICATE_READY,
)

DUE_NEAR = "near"
DUE_OVERDUE = "overdue"
# Due today: the promised deadline is today and the clock runs (the home's "the hall now").
DUE_TODAY = "today"
STATE_OPEN = ""
STATE_CLOSED = "closed"
STATE_ALL = "all"
TIMELINESS = ("completed", "on_time", "early", "overdue")


def by_priority(cases: CaseQuerySet) -> CaseQuerySet:
    """Green channel first, then the nearest promised deadline, then the oldest receipt."""
    return cases.order_by(
        F("green_channel").desc(),
        F("promised_due_on").asc(nulls_last=True),
        "received_at",
        "id",
    )


@dataclass(frozen=True)
class CaseFilters:
    """The case list's filters, as read from the query string (all optional)."""

    state: str = STATE_OPEN  # "", "closed", "all" or a CaseStatus value
    kind: str = ""
    department_id: int | None = None
    window_id: int | None = None
    due: str = ""  # "", "near", "overdue"
    green: bool = False
    q: str = ""
    # Issue 17 item 8: a center and its subtree, the item, the applicant's phone (exact,
    # normalised), the day of receipt from/to (inclusive, local days) and the channel.
    center_id: int | None = None
    item_id: int | None = None
    phone: str = ""
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    channel: str = ""
    # Issue 18 (drill-down from the figures): the day of acceptance and of the decision
    # from/to (inclusive, local days), who received and who decided the case, and how a
    # completed case ended against its deadline (`TIMELINESS`: the on-time rule of
    # `govhall.stats.figures`; voided and withdrawn cases are not completed).
    accepted_from: datetime.date | None = None
    accepted_to: datetime.date | None = None
    decided_from: datetime.date | None = None
    decided_to: datetime.date | None = None
    received_by_id: int | None = None
    decided_by_id: int | None = None
    timely: str = ""

    @classmethod
    def from_query(cls, query: Any) -> CaseFilters:
        def number(name: str) -> int | None:
            raw = (query.get(name) or "").strip()
            return int(raw) if raw.isdigit() and len(raw) < 19 else None

        def day(name: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat((query.get(name) or "").strip()[:10])
            except ValueError:
                return None

        state = (query.get("status") or "").strip()
        if state not in {STATE_CLOSED, STATE_ALL, *CaseStatus.values}:
            state = STATE_OPEN
        kind = (query.get("kind") or "").strip()
        due = (query.get("due") or "").strip()
        return cls(
            state=state,
            kind=kind if kind in {"immediate", "promised", "joint", "escalated"} else "",
            department_id=number("department"),
            window_id=number("window"),
            due=due if due in {DUE_NEAR, DUE_OVERDUE, DUE_TODAY} else "",
            green=(query.get("green") or "") == "1",
            q=(query.get("q") or "").strip()[:60],
            center_id=number("center"),
            item_id=number("item"),
            phone=normalize_phone((query.get("phone") or "")[:40]),
            received_from=day("from"),
            received_to=day("to"),
            channel=channel
            if (channel := (query.get("channel") or "").strip()) in Channel.values
            else "",
            accepted_from=day("accepted_from"),
            accepted_to=day("accepted_to"),
            decided_from=day("decided_from"),
            decided_to=day("decided_to"),
            received_by_id=number("received_by"),
            decided_by_id=number("decided_by"),
            timely=timely if (timely := (query.get("timely") or "").strip()) in TIMELINESS else "",
        )

    def query(self) -> dict[str, str]:
        """The filters as a query string's parameters (the export repeats the list's)."""
        values = {
            "status": self.state,
            "kind": self.kind,
            "department": self.department_id,
            "window": self.window_id,
            "due": self.due,
            "green": "1" if self.green else "",
            "q": self.q,
            "center": self.center_id,
            "item": self.item_id,
            "phone": self.phone,
            "from": self.received_from.isoformat() if self.received_from else "",
            "to": self.received_to.isoformat() if self.received_to else "",
            "channel": self.channel,
            "accepted_from": self.accepted_from.isoformat() if self.accepted_from else "",
            "accepted_to": self.accepted_to.isoformat() if self.accepted_to else "",
            "decided_from": self.decided_from.isoformat() if self.decided_from else "",
            "decided_to": self.decided_to.isoformat() if self.decided_to else "",
            "received_by": self.received_by_id,
            "decided_by": self.decided_by_id,
            "timely": self.timely,
        }
        return {key: str(value) for key, value in values.items() if value not in ("", None)}


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def near_due_limit(center_id: int | None, today: datetime.date) -> datetime.date:
    """The last promised due date counted as near: at most one working day left."""
    calendar = calendar_for(center_id)
    try:
        return calendar.add_workdays(today, 1)
    except ValueError:  # a day outside the calendar's range: weekends only
        day = today + datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day


def case_list(user: object, filters: CaseFilters, today: datetime.date) -> CaseQuerySet:
    """The cases the user may see, filtered, in priority order, with their list columns."""
    cases = cases_in_scope(user)
    if filters.state == STATE_OPEN:
        # A due filter keeps running cases only, all of them open: a second status filter
        # would make PostgreSQL expect far fewer rows than there are (bench/cases.py).
        if not filters.due:
            cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.state == STATE_CLOSED:
        cases = cases.filter(status__in=FINAL_STATUSES)
    elif filters.state != STATE_ALL:
        cases = cases.filter(status=filters.state)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.department_id is not None:
        cases = cases.filter(department_id=filters.department_id)
    if filters.window_id is not None:
        cases = cases.filter(window_id=filters.window_id)
    if filters.green:
        cases = cases.filter(green_channel=True)
    if filters.due == DUE_OVERDUE:
        cases = cases.filter(status__in=CLOCK_RUNNING_STATUSES, promised_due_on__lt=today)
    elif filters.due == DUE_TODAY:
        cases = cases.filter(status__in=CLOCK_RUNNING_STATUSES, promised_due_on=today)
    elif filters.due == DUE_NEAR:
        root = scope_of(user).root
        limit = near_due_limit(root.pk if root else None, today)
        cases = cases.filter(
            status__in=CLOCK_RUNNING_STATUSES,
            promised_due_on__gte=today,
            promised_due_on__lte=limit,
        )
    if filters.q:
        cases = cases.filter(
            Q(number__icontains=filters.q) | Q(applicant__name__icontains=filters.q)
        )
    if filters.center_id is not None:
        # The center and the centers under it, within the reader's scope (cases_in_scope).
        center = centers_in_scope(user).filter(pk=filters.center_id).values("path")
        cases = cases.filter(
            center__in=Center.objects.filter(path__startswith=Subquery(center[:1]))
        )
    if filters.item_id is not None:
        cases = cases.filter(item_id=filters.item_id)
    if filters.phone:
        cases = cases.filter(applicant__phone=filters.phone)
    # Whole local days, compared on received_at itself (the index on center, received_at).
    if filters.received_from is not None:
        cases = cases.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to is not None:
        next_day = filters.received_to + datetime.timedelta(days=1)
        cases = cases.filter(received_at__lt=_local_midnight(next_day))
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    for name, first, last in (
        ("accepted_at", filters.accepted_from, filters.accepted_to),
        ("decided_at", filters.decided_from, filters.decided_to),
    ):
        if first is not None:
            cases = cases.filter(**{f"{name}__gte": _local_midnight(first)})
        if last is not None:
            next_day = last + datetime.timedelta(days=1)
            cases = cases.filter(**{f"{name}__lt": _local_midnight(next_day)})
    if filters.received_by_id is not None:
        cases = cases.filter(received_by_id=filters.received_by_id)
    if filters.decided_by_id is not None:
        cases = cases.filter(decided_by_id=filters.decided_by_id)
    if filters.timely:
        cases = timeliness_filter(cases, filters.timely)
    return by_priority(cases.select_related(*LIST_RELATED))


def timeliness_filter(cases: QuerySet[Case], timely: str) -> Any:
    """The completed cases (decided, neither voided nor withdrawn) that ended `timely`:
    "completed" (all of them), "on_time" (decided on or before the promised deadline, on the
    local day; no deadline is on time), "early" (before it) or "overdue" (after it). The
    case-list mirror of the rollups' counters (`govhall.stats.services.rollups`)."""
    cases = cases.filter(decided_at__isnull=False).exclude(status__in=NOT_COMPLETED)
    if timely == "completed":
        return cases
    cases = cases.annotate(
        decided_on=TruncDate("decided_at", tzinfo=timezone.get_current_timezone())
    )
    if timely == "on_time":
        return cases.filter(
            Q(promised_due_on__isnull=True) | Q(decided_on__lte=F("promised_due_on"))
        )
    if timely == "early":
        return cases.filter(decided_on__lt=F("promised_due_on"))
    return cases.filter(decided_on__gt=F("promised_due_on"))


# --- the inbox ----------------------------------------------------------------------------------


@dataclass
class InboxSection:
    """One part of the inbox: what the user must do now, of one kind."""

    key: str
    title: str | Promise
    help: str | Promise
    cases: list[Case] = field(default_factory=list)
    tasks: list[JointTask] = field(default_factory=list)
    total: int = 0


INBOX_LIMIT = 100


def _department_of(user: object) -> int | None:
    pk = getattr(user, "pk", None)
    if not isinstance(pk, int):
        return None
    value: int | None = (
        Staff.objects.filter(user_id=pk).values_list("department_id", flat=True).first()
    )
    return value


def _section_cases(cases: CaseQuerySet) -> tuple[list[Case], int]:
    rows = IdsFirst(by_priority(cases.select_related(*LIST_RELATED)))[:INBOX_LIMIT]
    total = len(rows) if len(rows) < INBOX_LIMIT else cases.count()
    return rows, total


def window_cases(user: User, windows: Iterable[int]) -> CaseQuerySet:
    """Cases waiting at these windows, and online submissions for items they serve."""
    window_ids = list(windows)
    serves_item = Exists(
        ItemWindow.objects.filter(item_id=OuterRef("item_id"), window_id__in=window_ids)
    )
    return cases_in_scope(user).filter(
        Q(window_id__in=window_ids, status__in=WINDOW_STATUSES)
        | Q(serves_item, status=CaseStatus.SUBMITTED, window__isnull=True)
    )


def prereview_task_cases(user: object, department_id: int) -> CaseQuerySet:
    """Online cases waiting for this department's own pre-review task (not the lead's)."""
    waiting = Exists(
        PrereviewTask.objects.filter(
            case_id=OuterRef("pk"),
            department_id=department_id,
            is_lead=False,
            status=PrereviewStatus.PENDING,
        )
    )
    return cases_in_scope(user).filter(waiting, status=CaseStatus.SUBMITTED)


def pending_overdue_cases(user: User, windows: Iterable[int], today: datetime.date) -> CaseQuerySet:
    """Open cases at these windows whose pending materials were due before `today` (the same
    rule as `govhall.cases.clock.pending_overdue` and the supervision step scan)."""
    return cases_in_scope(user).filter(
        window_id__in=list(windows), status__in=OPEN_STATUSES, pending_due_on__lt=today
    )


def back_office_cases(user: object, department_id: int) -> CaseQuerySet:
    """Cases waiting for this user's back-office step in their department."""
    roles = scope_of(user).roles
    wanted = Q(pk__in=[])
    if Role.REVIEWER in roles:
        wanted |= Q(status=CaseStatus.IN_REVIEW)
    if Role.APPROVER in roles:
        open_task = Exists(JointTask.objects.filter(case_id=OuterRef("pk"), status=TaskStatus.OPEN))
        wanted |= Q(status=CaseStatus.AWAITING_APPROVAL) | Q(
            ~open_task, status=CaseStatus.JOINT_REVIEW
        )
    return cases_in_scope(user).filter(wanted, department_id=department_id)


def escalated_to_us(user: object) -> CaseQuerySet:
    """Cases forwarded to one of the user's centers, waiting for the result."""
    return cases_in_scope(user).filter(
        status=CaseStatus.ESCALATED, escalated_to__in=centers_in_scope(user)
    )


def overdue_cases(user: object, today: datetime.date) -> CaseQuerySet:
    return cases_in_scope(user).filter(status__in=CLOCK_RUNNING_STATUSES, promised_due_on__lt=today)


def _tasks(tasks: Any) -> tuple[list[JointTask], int]:
    if isinstance(tasks, QuerySet):
        tasks = tasks.select_related(
            "case", "case__item", "case__applicant", "case__window", "case__center", "department"
        ).order_by("-case__green_channel", "due_on", "id")
        rows = list(tasks[:INBOX_LIMIT])
        return rows, (len(rows) if len(rows) < INBOX_LIMIT else tasks.count())
    rows = list(tasks)
    return rows[:INBOX_LIMIT], len(rows)


@dataclass(frozen=True)
class _InboxSource:
    """One part of the inbox before it is read: its cases or joint tasks (None: nothing)."""

    key: str
    title: str | Promise
    help: str | Promise
    cases: CaseQuerySet | None = None
    tasks: QuerySet[JointTask] | None = None
    # Shown even when empty (otherwise only when something waits).
    always: bool = True


def _inbox_sources(
    user: User, today: datetime.date, at: datetime.datetime | None = None
) -> list[_InboxSource]:
    """The parts of the user's inbox, each with the query of what waits in it (not run)."""
    scope = scope_of(user)
    roles = scope.roles
    everything = scope.everything
    sources: list[_InboxSource] = []

    if everything or roles & WINDOW_ROLES:
        windows = window_ids_at_hand(user, at)
        sources.append(
            _InboxSource(
                "window",
                _("At my windows"),
                _(
                    "Cases at the windows you serve now: pre-review, acceptance, supplements, "
                    "decisions at the window, certificates and delivery."
                ),
                cases=window_cases(user, windows) if windows else None,
            )
        )
        sources.append(
            _InboxSource(
                "pending_overdue",
                _("Pending materials overdue"),
                _(
                    "Cases of your windows whose pending materials (green channel, or "
                    "attachments the applicant promised) are past their due date."
                ),
                cases=pending_overdue_cases(user, windows, today) if windows else None,
            )
        )

    department_id = _department_of(user)
    if department_id is not None and roles & PREREVIEW_TASK_ROLES:
        sources.append(
            _InboxSource(
                "prereview",
                _("Pre-review for my department"),
                _(
                    "Online applications of joint items your department pre-reviews in "
                    "parallel with the lead department (同步预审)."
                ),
                cases=prereview_task_cases(user, department_id),
                always=False,
            )
        )
    if department_id is not None and roles & BACK_OFFICE_ROLES:
        sources.append(
            _InboxSource(
                "back_office",
                _("Back office"),
                _("Cases of your department waiting for review or approval."),
                cases=back_office_cases(user, department_id),
            )
        )

    if department_id is not None and roles & JOINT_TASK_ROLES:
        sources.append(
            _InboxSource(
                "joint",
                _("Joint review tasks"),
                _("Open review tasks of your department on joint cases."),
                tasks=queries_joint.open_tasks_for_department(department_id),
            )
        )

    if everything or roles & ESCALATION_ROLES:
        sources.append(
            _InboxSource(
                "escalated",
                _("Forwarded to our center"),
                _("Cases a lower-level center forwarded to us, waiting for our result."),
                cases=escalated_to_us(user),
                always=bool(everything or roles & (MANAGER_ROLES | {Role.APPROVER})),
            )
        )

    if everything or roles & MANAGER_ROLES:
        centers = list(centers_in_scope(user).values_list("pk", flat=True))
        sources.append(
            _InboxSource(
                "overdue_joint",
                _("Overdue joint review tasks"),
                _("Joint review tasks past their deadline; you may call a joint review meeting."),
                tasks=queries_joint.overdue_joint_tasks(centers, today),
            )
        )
        sources.append(
            _InboxSource(
                "overdue",
                _("Overdue cases"),
                _("Cases past their promised deadline."),
                cases=overdue_cases(user, today),
            )
        )
    return sources


def inbox(
    user: User, today: datetime.date, at: datetime.datetime | None = None
) -> list[InboxSection]:
    """What the user must do now, by kind of work. Sections the user has no part in are left
    out; a section with nothing in it is kept (it says "nothing to do")."""
    sections: list[InboxSection] = []
    for source in _inbox_sources(user, today, at):
        section = InboxSection(source.key, source.title, source.help)
        if source.cases is not None:
            section.cases, section.total = _section_cases(source.cases)
        elif source.tasks is not None:
            section.tasks, section.total = _tasks(source.tasks)
        if section.total or source.always:
            sections.append(section)
    return sections


def inbox_counts(
    user: User, today: datetime.date, at: datetime.datetime | None = None
) -> dict[str, int]:
    """How much waits in each part of the user's inbox (one COUNT per part; the home page)."""
    counts: dict[str, int] = {}
    for source in _inbox_sources(user, today, at):
        if source.cases is not None:
            counts[source.key] = source.cases.count()
        elif source.tasks is not None:
            counts[source.key] = source.tasks.count()
        else:
            counts[source.key] = 0
    return counts


# --- one case -----------------------------------------------------------------------------------


def case_timeline(case: Case) -> QuerySet[Event]:
    """The case's events, oldest first, without the personal-data view log (kept apart)."""
    return (
        Event.objects.for_object(case)
        .exclude(action=CaseEvent.VIEW_PERSONAL_DATA)
        .select_related("actor")
        .order_by("at", "id")
    )


def personal_data_views(case: Case) -> QuerySet[Event]:
    return Event.objects.for_object(case).filter(action=CaseEvent.VIEW_PERSONAL_DATA)


# --- the outbox ---------------------------------------------------------------------------------


def outbox_in_scope(user: object) -> QuerySet[OutboundMessage]:
    """Notifications of the user's centers, newest first; none for other roles."""
    scope = scope_of(user)
    if not can_read_outbox(user):
        return OutboundMessage.objects.none()
    messages = OutboundMessage.objects.all()
    if not scope.everything:
        messages = messages.filter(center_id__in=centers_in_scope(user).values("pk"))
    return messages.order_by("-created_at", "-id")
