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


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]


NAV: tuple[NavEntry, ...] = (
    NavEntry("workbench:home", _("Home"), EVERYONE),
    NavEntry("workbench:centers", _("Centers"), EVERYONE),
    NavEntry("workbench:departments", _("Departments"), EVERYONE),
    NavEntry("workbench:windows", _("Windows and posts"), EVERYONE),
    NavEntry(
        "workbench:staff",
        _("Staff"),
        MANAGERS | {Role.WINDOW_HEAD, Role.DEPT_LEADER, Role.SUPERVISOR},
    ),
    NavEntry("workbench:items", _("Service items"), EVERYONE),
    NavEntry("workbench:catalog_import", _("Catalog import and export"), MANAGERS),
    NavEntry("workbench:calendar", _("Working-day calendar"), EVERYONE),
    NavEntry("workbench:events", _("Event log"), MANAGERS | {Role.SUPERVISOR}),
)


def nav_entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    scope = scope_of(user)
    entries: list[dict[str, Any]] = []
    for entry in NAV:
        if not (scope.everything or scope.roles & entry.roles):
            continue
        url = reverse(entry.url_name)
        active = (
            request.path == url
            if url.rstrip("/") == reverse("workbench:home").rstrip("/")
            else request.path.startswith(url)
        )
        entries.append({"url": url, "label": entry.label, "active": active})
    if getattr(user, "is_staff", False):
        entries.append(
            {"url": reverse("admin:index"), "label": _("Administration"), "active": False}
        )
    return entries
