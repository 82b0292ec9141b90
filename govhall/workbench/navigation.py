"""The workbench menu: which entries each role sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.core.roles import (
    ALL_ROLES,
    APPOINTMENT_READER_ROLES,
    CASE_READER_ROLES,
    INQUIRY_LOGGER_ROLES,
    INQUIRY_RECEIVER_ROLES,
    LINE_KEEPER_ROLES,
    MANAGER_ROLES,
    OVERSIGHT_ROLES,
    RECORD_READER_ROLES,
    WINDOW_ROLES,
    Role,
)
from govhall.org.access import scope_of

# Each entry names the role set of the access rule behind its page (govhall.core.roles).


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]
    # The first entry of each group of the menu carries the group's heading.
    section: str | Promise = ""


NAV: tuple[NavEntry, ...] = (
    NavEntry("workbench:home", _("Home"), ALL_ROLES),
    NavEntry("workbench:centers", _("Centers"), ALL_ROLES, section=_("Organization")),
    NavEntry("workbench:departments", _("Departments"), ALL_ROLES),
    NavEntry("workbench:windows", _("Windows and posts"), ALL_ROLES),
    NavEntry("workbench:staff", _("Staff"), OVERSIGHT_ROLES),
    NavEntry("workbench:items", _("Service items"), ALL_ROLES, section=_("Catalog")),
    NavEntry("workbench:catalog_import", _("Catalog import and export"), MANAGER_ROLES),
    NavEntry("workbench:calendar", _("Working-day calendar"), ALL_ROLES),
    # "My inbox" carries the heading: every role of the section sees it.
    NavEntry("workbench:case_inbox", _("My inbox"), CASE_READER_ROLES, section=_("Cases")),
    NavEntry("workbench:case_intake", _("Case intake"), WINDOW_ROLES),
    NavEntry("workbench:cases", _("All cases"), CASE_READER_ROLES),
    NavEntry("workbench:outbox", _("Outbox"), RECORD_READER_ROLES),
    # Front desk: inquiries (the first entry carries the section heading _("Front desk"))
    # Role sets as in govhall/frontdesk/access/inquiries.py (a test keeps them equal).
    NavEntry(
        "workbench:inquiries",
        _("First inquiries"),
        ALL_ROLES - {Role.SOCIAL_SUPERVISOR},
        section=_("Front desk"),
    ),
    NavEntry("workbench:inquiry_log", _("Log an inquiry"), INQUIRY_LOGGER_ROLES),
    NavEntry("workbench:inquiry_follow_ups", _("My follow-ups"), INQUIRY_LOGGER_ROLES),
    NavEntry(
        "workbench:inquiry_transfers", _("Transfers to my department"), INQUIRY_RECEIVER_ROLES
    ),
    NavEntry(
        "workbench:inquiry_phone_book",
        _("Phone record book"),
        OVERSIGHT_ROLES | INQUIRY_LOGGER_ROLES,
    ),
    NavEntry("workbench:inquiry_rates", _("Inquiry rates"), OVERSIGHT_ROLES),
    # Front desk: queue
    NavEntry("workbench:queue_console", _("Calling console"), WINDOW_ROLES),
    NavEntry("workbench:queue_line", _("Today's line"), LINE_KEEPER_ROLES),
    NavEntry("workbench:queue_groups", _("Queue groups"), MANAGER_ROLES),
    NavEntry("workbench:queue_stats", _("Queue statistics"), OVERSIGHT_ROLES),
    # Front desk: appointments
    NavEntry("workbench:appointments", _("Appointments"), APPOINTMENT_READER_ROLES),
    NavEntry("workbench:appointment_requests", _("Off-hours requests"), MANAGER_ROLES),
    NavEntry("workbench:on_duty", _("On duty now"), ALL_ROLES, section=_("Staff on duty")),
    NavEntry("workbench:my_absence", _("Where-and-until sign"), ALL_ROLES),
    NavEntry("workbench:attendance", _("My attendance"), ALL_ROLES),
    NavEntry("workbench:leaves", _("Leave"), ALL_ROLES),
    NavEntry("workbench:leave_calendar", _("Team leave calendar"), ALL_ROLES),
    NavEntry("workbench:attendance_month", _("Monthly attendance"), OVERSIGHT_ROLES),
    NavEntry("workbench:vacancies", _("Empty posts"), RECORD_READER_ROLES),
    NavEntry("workbench:delegations", _("Cover records"), OVERSIGHT_ROLES),
    NavEntry("workbench:rosters", _("Duty roster"), ALL_ROLES),
    NavEntry("workbench:leader_visits", _("Leader visits"), ALL_ROLES),
    NavEntry("workbench:assignments", _("Window assignments"), OVERSIGHT_ROLES),
    NavEntry("workbench:return_warnings", _("Return warnings"), RECORD_READER_ROLES),
    NavEntry("workbench:events", _("Event log"), RECORD_READER_ROLES, section=_("Records")),
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
