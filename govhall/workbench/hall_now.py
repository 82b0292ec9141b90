"""“The hall now” (大厅此刻, issue 18 item 2): how the hall stands at this moment, on the home of
hall managers (their center subtree), department leaders (their department's part) and window
heads (the windows they head).

Live reads of today's data, each answered by the owning app's own scope and query: the tickets
waiting and the longest wait per queue group, the windows open / covered / empty (cover's answer
through the duty board), the staff on leave or away now, today's cases (received, finished, due,
overdue), the open alerts and complaints. Every figure is one SQL aggregate, so the page costs a
fixed number of queries however much data there is (workbench/tests/test_hall_now.py counts them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from govhall.cases.access.cases import can_read_cases, cases_in_scope
from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
from govhall.cases.queries.cases import DUE_OVERDUE, DUE_TODAY, STATE_ALL, STATE_CLOSED
from govhall.core.models import User
from govhall.core.roles import HALL_NOW_ROLES, Role
from govhall.frontdesk.access.tickets import can_act_on_tickets, can_read_queue_stats
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.org.access.scope import Scope, centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Post, Staff, Window
from govhall.staffing.models import Absence, Leave
from govhall.staffing.models.leave import LeaveStatus
from govhall.staffing.queries.cover import headed_window_ids, posts_with_people
from govhall.staffing.queries.duty_board import HallPhase, duty_board, hall_phase
from govhall.supervision.access.alerts import can_read_alert_inbox
from govhall.supervision.queries.alerts import alert_inbox
from govhall.workbench.queries import open_complaints

PartKind = Literal["hall", "department", "windows"]


def can_see_hall_now(user: object) -> bool:
    """Hall managers, department leaders and window heads (and superusers) see the section."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & HALL_NOW_ROLES)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    count: int
    url: str
    # "bad": something is late or nobody is there; shown red.
    tone: str = ""


@dataclass(frozen=True)
class GroupWait:
    """One queue group: tickets waiting now and how long the first of them has waited."""

    group_id: int
    label: str
    center: str
    waiting: int
    longest_minutes: int
    # The group's center's line (today's queue) when the user may open it, else "".
    url: str = ""


@dataclass
class HallNow:
    kind: PartKind
    at: datetime.datetime
    phase: HallPhase | None
    groups: list[GroupWait] = field(default_factory=list)
    waiting: int = 0
    longest_minutes: int = 0
    queue_url: str = ""
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def people(self) -> list[Figure]:
        return [
            self.figures[key]
            for key in ("windows_open", "windows_covered", "windows_empty", "on_leave", "away")
            if key in self.figures
        ]

    @property
    def work(self) -> list[Figure]:
        return [
            self.figures[key]
            for key in ("received", "finished", "due_today", "overdue", "alerts", "complaints")
            if key in self.figures
        ]


def _url(name: str, **query: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _part(user: User, scope: Scope) -> tuple[PartKind, QuerySet[Window]]:
    """The user's part of the hall and its active windows: the subtree for management, the
    department for department leaders (and other department-bound roles), else the windows the
    user heads."""
    windows = windows_in_scope(user).filter(is_active=True)
    if scope.department_id is None:
        return "hall", windows
    if Role.DEPT_LEADER in scope.roles:
        return "department", windows
    return "windows", Window.objects.filter(pk__in=sorted(headed_window_ids(user)))


def _groups(user: User, kind: PartKind, windows: QuerySet[Window], scope: Scope) -> QuerySet:
    groups = ServiceGroup.objects.filter(center__in=centers_in_scope(user), is_active=True)
    if kind == "hall":
        return groups
    calling = ServiceGroup.windows.through.objects.filter(window__in=windows.values("pk"))
    in_part = Q(pk__in=calling.values("servicegroup_id"))
    if kind == "department":
        in_part |= Q(department_id=scope.department_id)
    return groups.filter(in_part)


def _queue(
    now_: HallNow,
    user: User,
    kind: PartKind,
    windows: QuerySet[Window],
    scope: Scope,
    today: datetime.date,
) -> None:
    """Two queries: the waiting tickets per group, then the names of the groups shown."""
    rows = list(
        Ticket.objects.filter(
            service_date=today,
            status=TicketStatus.WAITING,
            group__in=_groups(user, kind, windows, scope).values("pk"),
        )
        .values("group_id")
        .annotate(waiting=Count("pk"), since=Min("taken_at"))
        .order_by("since")
    )

    def minutes(since: datetime.datetime) -> int:
        return max(0, int((now_.at - since).total_seconds() // 60))

    now_.waiting = sum(row["waiting"] for row in rows)
    now_.longest_minutes = minutes(rows[0]["since"]) if rows else 0
    shown = rows[: settings.GOVHALL_HALL_NOW_QUEUE_ROWS]
    names = (
        {
            group.pk: group
            for group in ServiceGroup.objects.select_related("center").filter(
                pk__in=[row["group_id"] for row in shown]
            )
        }
        if shown
        else {}
    )
    now_.groups = [
        GroupWait(
            group_id=row["group_id"],
            label=str(names[row["group_id"]]),
            center=names[row["group_id"]].center.name,
            waiting=row["waiting"],
            longest_minutes=minutes(row["since"]),
            url=_url("workbench:queue_line", center=str(names[row["group_id"]].center_id))
            if can_act_on_tickets(user)
            else "",
        )
        for row in shown
        if row["group_id"] in names
    ]
    if can_act_on_tickets(user):
        now_.queue_url = reverse("workbench:queue_line")
    elif can_read_queue_stats(user):
        now_.queue_url = reverse("workbench:queue_stats")


def _windows(now_: HallNow, windows: QuerySet[Window]) -> None:
    """Per window: open when an A staff serves one of its posts, covered when only a cover
    (B, a designated cover, the head) serves, empty when nobody can (空岗)."""
    posts = list(posts_with_people().filter(window__in=windows.values("pk")).order_by("id"))
    roles: dict[int, set[str | None]] = {}
    for row in duty_board(posts, now_.at):
        roles.setdefault(row.post.window_id, set()).add(row.serving.role)
    is_open = sum(1 for served in roles.values() if "a" in served)
    covered = sum(1 for served in roles.values() if "a" not in served and served - {None})
    empty = sum(1 for served in roles.values() if not served - {None})
    board = reverse("workbench:on_duty")
    now_.figures["windows_open"] = Figure("windows_open", _("Windows served by A"), is_open, board)
    now_.figures["windows_covered"] = Figure(
        "windows_covered", _("Windows covered by B"), covered, board, tone="warn" if covered else ""
    )
    now_.figures["windows_empty"] = Figure(
        "windows_empty", _("Empty windows"), empty, board, tone="bad" if empty else ""
    )


def _people(
    now_: HallNow, user: User, kind: PartKind, windows: QuerySet[Window], scope: Scope
) -> None:
    """Distinct people of the part on approved leave now, and away from their post now."""
    if kind == "windows":
        posts = Post.objects.filter(window__in=windows.values("pk"))
        people = Q(user_id__in=posts.values("a_staff_id")) | Q(
            user_id__in=posts.values("b_staff_id")
        )
    else:
        staff = Staff.objects.filter(center__in=centers_in_scope(user))
        if kind == "department" and scope.department_id is not None:
            staff = staff.filter(department_id=scope.department_id)
        people = Q(user_id__in=staff.values("user_id"))
    at = now_.at
    on_leave = (
        Leave.objects.filter(people, status=LeaveStatus.APPROVED, starts_at__lte=at, ends_at__gt=at)
        .values("user_id")
        .distinct()
        .count()
    )
    away = (
        Absence.objects.filter(
            people, Q(returned_at__isnull=True) | Q(returned_at__gt=at), starts_at__lte=at
        )
        .values("user_id")
        .distinct()
        .count()
    )
    now_.figures["on_leave"] = Figure(
        "on_leave", _("Staff on leave"), on_leave, reverse("workbench:leave_calendar")
    )
    now_.figures["away"] = Figure(
        "away", _("Staff away from their post"), away, reverse("workbench:on_duty")
    )


def _cases(
    now_: HallNow, user: User, kind: PartKind, windows: QuerySet[Window], today: datetime.date
) -> None:
    if not can_read_cases(user):
        return
    cases = cases_in_scope(user)
    window_filter: dict[str, str] = {}
    if kind == "windows":
        ids = windows.values("pk")
        cases = cases.filter(Q(window_id__in=ids) | Q(received_window_id__in=ids))
        headed = list(windows.values_list("pk", flat=True)[:2])
        if len(headed) == 1:
            window_filter = {"window": str(headed[0])}
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    running = Q(status__in=CLOCK_RUNNING_STATUSES)
    counts = cases.aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        finished=Count("pk", filter=Q(completed_at__gte=start, completed_at__lt=end)),
        due_today=Count("pk", filter=running & Q(promised_due_on=today)),
        overdue=Count("pk", filter=running & Q(promised_due_on__lt=today)),
    )
    day = today.isoformat()
    urls = {
        "received": _url(
            "workbench:cases", status=STATE_ALL, **{"from": day, "to": day}, **window_filter
        ),
        "finished": _url("workbench:cases", status=STATE_CLOSED, **window_filter),
        "due_today": _url("workbench:cases", due=DUE_TODAY, **window_filter),
        "overdue": _url("workbench:cases", due=DUE_OVERDUE, **window_filter),
    }
    labels = {
        "received": _("Cases received today"),
        "finished": _("Cases finished today"),
        "due_today": _("Cases due today"),
        "overdue": _("Overdue cases"),
    }
    for key, label in labels.items():
        tone = "bad" if key == "overdue" and counts[key] else ""
        now_.figures[key] = Figure(key, label, counts[key], urls[key], tone=tone)


def _oversight(now_: HallNow, user: User) -> None:
    if can_read_alert_inbox(user):
        alerts = alert_inbox(user).count()
        now_.figures["alerts"] = Figure(
            "alerts",
            _("Open alerts"),
            alerts,
            reverse("workbench:alerts"),
            tone="bad" if alerts else "",
        )
    complaints, url = open_complaints(user)
    if not url:
        return
    now_.figures["complaints"] = Figure(
        "complaints", _("Open complaints"), complaints, url, tone="bad" if complaints else ""
    )


def hall_now(user: User, *, now: datetime.datetime | None = None) -> HallNow | None:
    """How the user's part of the hall stands at `now` (default: this moment); None for a user
    who does not see the section (`can_see_hall_now`)."""
    if not can_see_hall_now(user):
        return None
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    scope = scope_of(user)
    kind, windows = _part(user, scope)
    answer = HallNow(
        kind=kind, at=moment, phase=hall_phase(scope.root, moment) if scope.root else None
    )
    _queue(answer, user, kind, windows, scope, today)
    _windows(answer, windows)
    _people(answer, user, kind, windows, scope)
    _cases(answer, user, kind, windows, today)
    _oversight(answer, user)
    return answer
