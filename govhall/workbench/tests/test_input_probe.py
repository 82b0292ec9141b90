"""No server error on any input in the pages (issue 12 item 4): every staff and public page,
as a hall director, a clerk, the guide and a town's director, with an absurd page number, a
huge id in the address, over-long text in every form field, and NUL bytes (refused with 400
before any view)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from govhall.core.roles import Role
from govhall.testing.factories import make_staff
from govhall.testing.routes import HUGE, SKIP, page_addresses

pytestmark = pytest.mark.django_db
LONG = "长" * 5000
FORM = re.compile(r"<form\b([^>]*\bmethod=\"post\"[^>]*)>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r"\baction=\"([^\"]*)\"", re.I)
FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def _post_forms(html: str, address: str) -> Iterator[tuple[str, set[str]]]:
    """(action, field names) of each POST form of a page, but the sign-out."""
    for attributes, body in FORM.findall(html):
        action = ACTION.search(attributes)
        target = action.group(1) if action and action.group(1) else address
        if SKIP.search(target.lstrip("/")):
            continue
        names = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
        if names:
            yield target.replace("&amp;", "&"), names


@pytest.fixture
def town_director(town):  # type: ignore[no-untyped-def]
    return make_staff(Role.DIRECTOR, town, username="towndirector")


# The probe's callers: the county's director, a window clerk (the console and intake forms), the
# guide (the inquiry log and the desk tickets) and a town's director (a subtree below).
@pytest.mark.parametrize("who", ["director", "clerk", "guide", "town_director"])
def test_every_page_survives_absurd_input(request, client_as, who, county, department):
    user = request.getfixturevalue(who)
    client: Client = client_as(user)
    failures = []
    ids = {"center": county.pk, "department": department.pk}
    for address in page_addresses(ids):
        response = client.get(address, {"page": HUGE, "q": LONG, "year": HUGE, "month": LONG})
        if response.status_code >= 500:
            failures.append(("GET absurd", address, response.status_code))
        response = client.get(address)
        if response.status_code >= 500:
            failures.append(("GET", address, response.status_code))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        posted = False
        for action, fields in _post_forms(response.content.decode("utf-8", "replace"), address):
            posted = True
            response = client.post(action, dict.fromkeys(fields, LONG))
            if response.status_code >= 500:
                failures.append(("POST long", action, response.status_code))
            response = client.post(action, dict.fromkeys(fields, "a\x00b"))
            if response.status_code != 400:
                failures.append(("POST NUL", action, response.status_code))
        if posted:  # a form may have changed the session (password, …): sign in afresh
            client = client_as(user)
    assert failures == []


def test_public_pages_survive_absurd_input(client):
    failures = []
    for address in page_addresses():
        if address.startswith("/staff/"):
            continue
        response = client.get(address, {"page": HUGE, "q": LONG, "number": LONG, "year": HUGE})
        if response.status_code >= 500:
            failures.append(("GET", address, response.status_code))
    assert failures == []


def test_nul_in_a_page_address_is_400(client):
    assert client.get("/guides/?q=a%00b").status_code == 400
