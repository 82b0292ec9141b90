"""Every page address of the site, for tests that visit them all (the input probe of issue 12
item 4, the raw-code crawl of issue 17 item 11)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

HUGE = "99999999999999999999"
# Addresses that never answer quickly (the board's live stream), leave the session, or are
# not pages (the admin, the API, the language switch). The sign-in form has its own tests with
# the login throttling (an over-long user name reached django-axes' 255-character column).
SKIP = re.compile(r"stream|logout|sign-out|i18n/|^admin/|^api/|login")


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):
            continue  # regular expressions: not a page of ours (catch-alls)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


def _address(route: str, ids: dict[str, int]) -> str:
    """The route with its parameters filled: ids of the test's center and department where the
    name says so, a huge number for other ids, a letter for the rest."""

    def fill(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if kind != "int":
            return "A"
        return next((str(pk) for key, pk in ids.items() if key in name), HUGE)

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def page_addresses(ids: dict[str, int] | None = None) -> list[str]:
    routes = sorted({r for r in _routes(get_resolver()) if not SKIP.search(r)})
    return [_address(route, ids or {}) for route in routes]
