"""Queue API: groups, today's tickets, taking a ticket (staff and public kiosk), call next,
actions with their conflicts, the console and the figures; outsiders get 404."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.frontdesk.services.tickets import ticket_call_next, ticket_take

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
BASE = "/api/v1/frontdesk/queue"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json", **EN)


def test_needs_login_except_the_kiosk(client, queue_groups):
    assert client.get(f"{BASE}/groups").status_code == 401
    assert post(client, f"{BASE}/tickets", {"group": queue_groups["A"].pk}).status_code == 401
    response = post(client, f"{BASE}/tickets/kiosk", {"group": queue_groups["A"].pk})
    assert response.status_code == 201


def test_kiosk_takes_a_ticket_and_says_how_many_are_ahead(client, queue_groups):
    group = queue_groups["B"]
    first = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk}).json()
    assert first["number"] == "B001" and first["people_ahead"] == 0 and first["token"]
    second = post(
        client,
        f"{BASE}/tickets/kiosk",
        {"group": group.pk, "priority": "elderly_disabled", "phone": "13812345678"},
    ).json()
    # Elderly and disabled applicants go first.
    assert second["number"] == "B002" and second["people_ahead"] == 0
    third = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk}).json()
    assert third["people_ahead"] == 2
    # The green channel is the desk's to give; a bad phone says why.
    refused = post(
        client, f"{BASE}/tickets/kiosk", {"group": group.pk, "priority": "green_channel"}
    )
    assert refused.status_code == 422  # not one of the kiosk's priorities (schema)
    refused = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk, "phone": "123"})
    assert refused.status_code == 422 and "phone" in refused.json()["errors"]
    group.is_active = False
    group.save()
    assert post(client, f"{BASE}/tickets/kiosk", {"group": group.pk}).status_code == 404
    assert Ticket.objects.count() == 3


def test_daily_limit_is_a_clear_409(client, queue_groups):
    group = queue_groups["A"]
    group.daily_limit = 1
    group.save()
    post(client, f"{BASE}/tickets/kiosk", {"group": group.pk})
    refused = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk})
    assert refused.status_code == 409 and "group" in refused.json()["errors"]
    assert "All 1 tickets of A 市场监管 for today have been issued" in refused.json()["detail"]


def test_duplicates_and_a_busy_window_are_409(client, client_as, clerk, hall_window, queue_groups):
    group = queue_groups["A"]
    first = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk, "phone": "13812345678"})
    assert first.status_code == 201
    # The same phone already waits in this group: a duplicate, nothing issued.
    again = post(client, f"{BASE}/tickets/kiosk", {"group": group.pk, "phone": "13812345678"})
    assert again.status_code == 409 and "phone" in again.json()["errors"]
    assert "already waits with ticket A001" in again.json()["detail"]
    assert Ticket.objects.count() == 1
    # A window still serving a ticket calls no other: a conflict, nothing called.
    ticket_take(group=group)
    desk = client_as(clerk)
    assert post(desk, f"{BASE}/windows/{hall_window.pk}/call-next").status_code == 200
    busy = post(desk, f"{BASE}/windows/{hall_window.pk}/call-next")
    assert busy.status_code == 409 and "serves one ticket at a time" in busy.json()["detail"]
    assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == 1


def test_desk_takes_a_green_channel_ticket_and_lists_today(client_as, guide, queue_groups, county):
    client = client_as(guide)
    body = post(
        client,
        f"{BASE}/tickets",
        {"group": queue_groups["A"].pk, "priority": "green_channel", "phone": "13812345678"},
    )
    assert body.status_code == 201
    ticket = body.json()["ticket"]
    assert ticket["number"] == "A001" and ticket["priority"] == "green_channel"
    assert ticket["phone"] == "138****5678" and body.json()["people_ahead"] == 0
    ticket_take(group=queue_groups["B"])
    rows = client.get(f"{BASE}/tickets", {"center": county.pk}).json()["items"]
    assert [row["number"] for row in rows] == ["A001", "B001"]
    rows = client.get(f"{BASE}/tickets", {"group": queue_groups["B"].pk}).json()["items"]
    assert [row["number"] for row in rows] == ["B001"]
    detail = client.get(f"{BASE}/tickets/{ticket['id']}").json()
    assert {a["action"] for a in detail["actions"]} == {"transfer", "cancel"}


def test_call_next_and_act_through_the_machine(client_as, clerk, hall_window, queue_groups):
    a1 = ticket_take(group=queue_groups["A"])
    client = client_as(clerk)
    body = post(client, f"{BASE}/windows/{hall_window.pk}/call-next").json()
    assert body["ticket"]["number"] == "A001" and body["ticket"]["status"] == "called"
    assert {a["action"] for a in body["actions"]} == {"recall", "start", "no_show", "transfer"}
    assert "called to window 1" in body["message"]
    url = f"{BASE}/tickets/{a1.pk}/act"
    recalled = post(client, url, {"action": "recall", "expected_status": "called"}).json()
    assert recalled["ticket"]["recall_count"] == 1
    started = post(client, url, {"action": "start", "expected_status": "called"}).json()
    assert started["ticket"]["status"] == "serving"
    assert [a["action"] for a in started["actions"]] == ["finish", "transfer"]
    # A stale page: 409 and nothing changes.
    stale = post(client, url, {"action": "no_show", "expected_status": "called"})
    assert stale.status_code == 409 and "reload the page" in stale.json()["detail"]
    # Not allowed from this status: a conflict (409) with the reason.
    refused = post(client, url, {"action": "recall"})
    assert refused.status_code == 409 and "cannot be" in refused.json()["detail"]
    transferred = post(
        client, url, {"action": "transfer", "to_group": queue_groups["B"].pk}
    ).json()["ticket"]
    assert transferred["status"] == "waiting" and transferred["group_id"] == queue_groups["B"].pk
    assert transferred["queued_at"] == started["ticket"]["queued_at"]
    nobody = post(client, f"{BASE}/windows/{hall_window.pk}/call-next").json()
    assert nobody["ticket"]["number"] == "A001"  # window 1 calls B too
    finished = post(client, url, {"action": "start"}).json()
    finished = post(client, url, {"action": "finish"}).json()
    assert finished["ticket"]["status"] == "done" and finished["actions"] == []
    empty = post(client, f"{BASE}/windows/{hall_window.pk}/call-next").json()
    assert empty["ticket"] is None and "Nobody is waiting" in empty["message"]


def test_a_window_not_served_is_refused(client_as, clerk_b, hall_window, queue_groups):
    ticket_take(group=queue_groups["A"])
    refused = post(client_as(clerk_b), f"{BASE}/windows/{hall_window.pk}/call-next")
    assert refused.status_code == 422 and "You do not serve" in refused.json()["detail"]
    assert not Ticket.objects.filter(status=TicketStatus.CALLED).exists()


def test_console(client_as, clerk, hall_window, queue_groups):
    ticket_take(group=queue_groups["A"])
    ticket_take(group=queue_groups["B"])
    client = client_as(clerk)
    [window] = client.get(f"{BASE}/console").json()
    assert window["window_number"] == 1 and window["ticket"] is None
    assert window["waiting_total"] == 2 and [t["number"] for t in window["next_up"]] == [
        "A001",
        "B001",
    ]
    ticket_call_next(actor=clerk, window=hall_window)
    [window] = client.get(f"{BASE}/console").json()
    assert window["ticket"]["number"] == "A001" and window["recall_max"] == 3


def test_groups_for_management(client_as, director, clerk, county, hall_window, queue_groups):
    client = client_as(director)
    rows = client.get(f"{BASE}/groups", {"center": county.pk}).json()
    assert [row["letter"] for row in rows] == ["A", "B"]
    assert rows[0]["window_ids"] == [hall_window.pk]
    created = post(
        client,
        f"{BASE}/groups",
        {"center": county.pk, "letter": "c", "name": "综合", "windows": [hall_window.pk]},
    )
    assert created.status_code == 201 and created.json()["letter"] == "C"
    group_id = created.json()["id"]
    taken = post(client, f"{BASE}/groups", {"center": county.pk, "letter": "A", "name": "x"})
    assert taken.status_code == 409 and "letter" in taken.json()["errors"]
    # A used letter with refused input: the input is refused first (422, every message).
    both = post(
        client,
        f"{BASE}/groups",
        {"center": county.pk, "letter": "A", "name": "x", "slot_minutes": 1},
    )
    assert both.status_code == 422 and {"letter", "slot_minutes"} <= set(both.json()["errors"])
    changed = client.patch(
        f"{BASE}/groups/{group_id}",
        {"name": "综合受理", "daily_limit": 80, "is_active": False},
        content_type="application/json",
    ).json()
    assert changed["name"] == "综合受理" and changed["daily_limit"] == 80
    assert changed["is_active"] is False and changed["window_ids"] == [hall_window.pk]
    assert ServiceGroup.objects.get(pk=group_id).name == "综合受理"
    built = post(client, f"{BASE}/groups/build", {"center": county.pk})
    assert built.status_code == 200
    # A clerk reads the groups but does not change them.
    clerk_client = client_as(clerk)
    assert len(clerk_client.get(f"{BASE}/groups").json()) == 3
    assert (
        post(
            clerk_client, f"{BASE}/groups", {"center": county.pk, "letter": "D", "name": "d"}
        ).status_code
        == 404
    )
    assert (
        clerk_client.patch(
            f"{BASE}/groups/{group_id}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_stats(client_as, director, clerk, hall_window, queue_groups):
    a1 = ticket_take(group=queue_groups["A"])
    ticket_call_next(actor=clerk, window=hall_window)
    client = client_as(director)
    body = client.get(f"{BASE}/stats").json()
    assert body["total"]["taken"] == 1 and body["total"]["called"] == 1
    assert body["by_group"][0]["label"] == "A 市场监管"
    assert body["by_window"][0]["key"] == hall_window.pk
    assert len(body["by_hour"]) == 1
    assert a1.pk
    refused = client.get(f"{BASE}/stats", {"first": "2026-12-08", "last": "2026-12-01"}, **EN)
    assert refused.status_code == 422
    # A clerk does not read the figures.
    assert client_as(clerk).get(f"{BASE}/stats").status_code == 404


def test_outsider_gets_404(client_as, outsider, county, hall_window, queue_groups):
    ticket = ticket_take(group=queue_groups["A"])
    client = client_as(outsider)
    assert client.get(f"{BASE}/groups", {"center": county.pk}).status_code == 404
    assert client.get(f"{BASE}/groups").json() == []
    assert client.get(f"{BASE}/tickets", {"center": county.pk}).status_code == 404
    assert client.get(f"{BASE}/tickets/{ticket.pk}").status_code == 404
    assert client.get(f"{BASE}/stats", {"center": county.pk}).status_code == 404
    assert post(client, f"{BASE}/tickets/{ticket.pk}/act", {"action": "cancel"}).status_code == 404
    assert post(client, f"{BASE}/tickets", {"group": queue_groups["A"].pk}).status_code == 404
    assert (
        post(
            client, f"{BASE}/groups", {"center": county.pk, "letter": "Z", "name": "z"}
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{BASE}/groups/{queue_groups['A'].pk}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert post(client, f"{BASE}/groups/build", {"center": county.pk}).status_code == 404
    assert post(client, f"{BASE}/windows/{hall_window.pk}/call-next").status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.WAITING
