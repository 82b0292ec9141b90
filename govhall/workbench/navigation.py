"""The workbench menu: which entries each role sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.core.roles import Role
from govhall.org.access import scope_of

EVERYONE = frozenset(Role)
MANAGERS = frozenset({Role.DIRECTOR, Role.ADMIN})


STAFF_READERS = MANAGERS | {Role.WINDOW_HEAD, Role.DEPT_LEADER, Role.SUPERVISOR}
WINDOW_ROLES = frozenset({Role.CLERK, Role.WINDOW_HEAD})
CASE_READERS = MANAGERS | {
    Role.CLERK,
    Role.WINDOW_HEAD,
    Role.REVIEWER,
    Role.APPROVER,
    Role.SUPERVISOR,
    Role.DEPT_LEADER,
}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]
    # The first entry of each group of the menu carries the group's heading.
    section: str | Promise = ""


NAV: tuple[NavEntry, ...] = (
    NavEntry("workbench:home", _("Home"), EVERYONE),
    NavEntry("workbench:centers", _("Centers"), EVERYONE, section=_("Organization")),
    NavEntry("workbench:departments", _("Departments"), EVERYONE),
    NavEntry("workbench:windows", _("Windows and posts"), EVERYONE),
    NavEntry("workbench:staff", _("Staff"), STAFF_READERS),
    NavEntry("workbench:items", _("Service items"), EVERYONE, section=_("Catalog")),
    NavEntry("workbench:catalog_import", _("Catalog import and export"), MANAGERS),
    NavEntry("workbench:calendar", _("Working-day calendar"), EVERYONE),
    # "My inbox" carries the heading: every role of the section sees it.
    NavEntry("workbench:case_inbox", _("My inbox"), CASE_READERS, section=_("Cases")),
    NavEntry("workbench:case_intake", _("Case intake"), WINDOW_ROLES),
    NavEntry("workbench:cases", _("All cases"), CASE_READERS),
    NavEntry("workbench:outbox", _("Outbox"), MANAGERS | {Role.SUPERVISOR}),
    # Front desk: inquiries (the first entry carries the section heading _("Front desk"))
    # Role sets as in govhall/frontdesk/access/inquiries.py (a test keeps them equal).
    NavEntry(
        "workbench:inquiries",
        _("First inquiries"),
        EVERYONE - {Role.SOCIAL_SUPERVISOR},
        section=_("Front desk"),
    ),
    NavEntry(
        "workbench:inquiry_log",
        _("Log an inquiry"),
        frozenset({Role.GUIDE, Role.CLERK, Role.WINDOW_HEAD, Role.DIRECTOR}),
    ),
    NavEntry(
        "workbench:inquiry_follow_ups",
        _("My follow-ups"),
        frozenset({Role.GUIDE, Role.CLERK, Role.WINDOW_HEAD, Role.DIRECTOR}),
    ),
    NavEntry(
        "workbench:inquiry_transfers",
        _("Transfers to my department"),
        MANAGERS | {Role.CLERK, Role.WINDOW_HEAD, Role.REVIEWER, Role.APPROVER, Role.DEPT_LEADER},
    ),
    NavEntry(
        "workbench:inquiry_phone_book",
        _("Phone record book"),
        STAFF_READERS | {Role.GUIDE, Role.CLERK, Role.WINDOW_HEAD, Role.DIRECTOR},
    ),
    NavEntry("workbench:inquiry_rates", _("Inquiry rates"), STAFF_READERS),
    # Front desk: queue
    NavEntry("workbench:queue_console", _("Calling console"), WINDOW_ROLES),
    NavEntry("workbench:queue_line", _("Today's line"), MANAGERS | {Role.GUIDE, Role.WINDOW_HEAD}),
    NavEntry("workbench:queue_groups", _("Queue groups"), MANAGERS),
    NavEntry(
        "workbench:queue_stats",
        _("Queue statistics"),
        MANAGERS | {Role.SUPERVISOR, Role.WINDOW_HEAD, Role.DEPT_LEADER},
    ),
    # Front desk: appointments
    # Roles as READER_ROLES in govhall/frontdesk/access/appointments.py (a test keeps them equal).
    NavEntry(
        "workbench:appointments",
        _("Appointments"),
        MANAGERS | {Role.GUIDE, Role.CLERK, Role.WINDOW_HEAD, Role.SUPERVISOR, Role.DEPT_LEADER},
    ),
    NavEntry("workbench:appointment_requests", _("Off-hours requests"), MANAGERS),
    NavEntry("workbench:on_duty", _("On duty now"), EVERYONE, section=_("Staff on duty")),
    NavEntry("workbench:my_absence", _("Where-and-until sign"), EVERYONE),
    NavEntry("workbench:attendance", _("My attendance"), EVERYONE),
    NavEntry("workbench:leaves", _("Leave"), EVERYONE),
    NavEntry("workbench:leave_calendar", _("Team leave calendar"), EVERYONE),
    NavEntry("workbench:attendance_month", _("Monthly attendance"), STAFF_READERS),
    NavEntry("workbench:vacancies", _("Empty posts"), MANAGERS | {Role.SUPERVISOR}),
    NavEntry("workbench:delegations", _("Cover records"), STAFF_READERS),
    NavEntry("workbench:rosters", _("Duty roster"), EVERYONE),
    NavEntry("workbench:leader_visits", _("Leader visits"), EVERYONE),
    NavEntry("workbench:assignments", _("Window assignments"), STAFF_READERS),
    NavEntry("workbench:return_warnings", _("Return warnings"), MANAGERS | {Role.SUPERVISOR}),
    NavEntry(
        "workbench:events", _("Event log"), MANAGERS | {Role.SUPERVISOR}, section=_("Records")
    ),
)


def nav_entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    scope = scope_of(user)
    entries: list[dict[str, Any]] = []
    for entry in NAV:
        if not (scope.everything or scope.roles & entry.roles):
            continue
        url = reverse(entry.url_name)
        entries.append(
            {"url": url, "label": entry.label, "active": False, "section": entry.section}
        )
    # The current page is the entry with the longest URL the path starts with, so /staff/leave/
    # and /staff/leave/calendar/ are told apart and the home page (/staff/) only matches itself.
    matching = [e for e in entries if request.path.startswith(e["url"])]
    if matching:
        best = max(matching, key=lambda e: len(e["url"]))
        if best["url"] != reverse("workbench:home") or request.path == best["url"]:
            best["active"] = True
    if getattr(user, "is_staff", False):
        entries.append(
            {"url": reverse("admin:index"), "label": _("Administration"), "active": False}
        )
    return entries
