"""No internal codes in the Chinese pages (issue 17 item 11): every workbench page as the hall
director and a window clerk, and every public page, read as a person reads them (text without
tags, attributes and scripts) shows no "govhall", no Django "---------" and no event name or
message purpose code: event lists, the case history and the outbox show Chinese labels."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from govhall.cases.events import CaseEvent
from govhall.catalog.events import CatalogEvent
from govhall.core.events import record_event, registered_events
from govhall.core.notify import registered_purposes, send_sms
from govhall.testing.cases import accepted_case
from govhall.testing.page_text import option_labels, visible_text
from govhall.testing.routes import page_addresses

pytestmark = pytest.mark.django_db

DASHES = re.compile(r"-{5,}")


def _codes() -> re.Pattern[str]:
    """Every registered event name and message purpose, as a whole word."""
    names = set(registered_events()) | set(registered_purposes())
    names = {name for name in names if "." in name or "_" in name}  # not plain words
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.compile(r"(?<![\w./])(" + alternatives + r")(?![\w/])")


def _problems(address: str, html: str, codes: re.Pattern[str]) -> list[tuple[str, str]]:
    text = visible_text(html)
    found = []
    if "govhall" in text.lower():
        line = next(part for part in text.splitlines() if "govhall" in part.lower())
        found.append((address, f"govhall: {line.strip()[:80]}"))
    if any(DASHES.search(label) for label in option_labels(html)) or DASHES.search(text):
        found.append((address, "---------"))
    match = codes.search(text)
    if match:
        found.append((address, f"code: {match.group(1)}"))
    return found


@pytest.fixture
def history(director, county, case_item, hall_window):  # type: ignore[no-untyped-def]
    """An item, a case and an SMS with events, so the lists that show them have rows."""
    case = accepted_case(case_item, hall_window)
    record_event(actor=director, action=CaseEvent.RECEIVE, obj=case, center_id=county.pk)
    record_event(actor=director, action=CaseEvent.ACCEPT, obj=case, center_id=county.pk)
    record_event(
        actor=director, action=CatalogEvent.ITEM_CREATE, obj=case_item, center_id=county.pk
    )
    record_event(
        actor=director,
        action=CatalogEvent.ITEM_UPDATE,
        obj=case_item,
        center_id=county.pk,
        data={"changed": {"promised_days": [5, 3]}},
    )
    send_sms(
        to="13812345678",
        text="您的办件已受理",
        purpose="case.accepted",
        obj=case,
        center_id=county.pk,
    )
    return {"case": case.pk, "item": case_item.pk}


@pytest.mark.parametrize("who", ["director", "clerk"])
def test_workbench_pages_show_no_codes(request, client_as, who, county, department, history):
    client: Client = client_as(request.getfixturevalue(who))
    codes = _codes()
    ids = {"center": county.pk, "department": department.pk, **history}
    problems = []
    seen = 0
    for address in page_addresses(ids):
        if not address.startswith("/staff/"):
            continue
        response = client.get(address)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        problems += _problems(address, response.content.decode("utf-8", "replace"), codes)
    assert seen > 50
    assert problems == []


def test_public_pages_show_no_codes(client):
    codes = _codes()
    problems = []
    for address in page_addresses():
        if address.startswith("/staff/"):
            continue
        response = client.get(address)
        if "text/html" in response.get("Content-Type", ""):
            problems += _problems(address, response.content.decode("utf-8", "replace"), codes)
    assert problems == []


def test_the_event_lists_read_chinese(client_as, director, history):
    client = client_as(director)
    item_page = visible_text(client.get(f"/staff/items/{history['item']}/").content.decode())
    assert "事项已创建" in item_page and "promised_days" not in item_page
    outbox = visible_text(client.get("/staff/outbox/").content.decode())
    assert "受理通知" in outbox


def test_the_admin_is_titled_like_the_site(client):
    text = visible_text(client.get("/admin/login/").content.decode())
    assert "政务服务中心管理后台" in text and "Django" not in text
