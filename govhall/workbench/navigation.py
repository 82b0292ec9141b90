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
    # Front desk: queue
    # Front desk: appointments
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
