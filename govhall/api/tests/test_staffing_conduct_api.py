"""The code of conduct and badges API (issue 21 item 3): the public read of the published
code, reading it as staff, badges issued with 409 on a second one, 404 outside the scope."""

from __future__ import annotations

import pytest

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.services.conduct import conduct_code_publish, conduct_defaults_load

pytestmark = pytest.mark.django_db

BASE = "/api/v1/staffing/conduct"


def test_public_code_and_staff_reading(  # type: ignore[no-untyped-def]
    client, client_as, director: User, clerk: User, county: Center
):
    assert client.get(f"{BASE}/public/{county.code}").status_code == 404  # not published
    conduct_defaults_load(actor=director, center=county)
    conduct_code_publish(actor=director, center=county)
    public = client.get(f"{BASE}/public/{county.code}")
    assert public.status_code == 200
    body = public.json()
    assert body["revision"] == 1
    assert [s["section"] for s in body["sections"]] == ["polite", "forbidden", "bans", "dress"]
    staff = client_as(clerk)
    assert staff.get(f"{BASE}/code").json()["to_read"] is True
    assert staff.post(f"{BASE}/acknowledge", content_type="application/json").status_code == 200
    assert staff.get(f"{BASE}/code").json()["to_read"] is False


def test_badges_issue_conflict_and_scope(  # type: ignore[no-untyped-def]
    client_as, director: User, clerk: User, outsider: User, county: Center
):
    api = client_as(director)
    made = api.post(f"{BASE}/badges", {"user_id": clerk.pk}, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["number"] == f"{county.code.upper()}-0001"
    again = api.post(f"{BASE}/badges", {"user_id": clerk.pk}, content_type="application/json")
    assert again.status_code == 409
    assert [b["number"] for b in api.get(f"{BASE}/badges").json()] == [made.json()["number"]]
    other = client_as(outsider)
    assert other.post(f"{BASE}/badges/{made.json()['id']}/withdraw").status_code == 404
    refused = other.post(f"{BASE}/badges", {"user_id": clerk.pk}, content_type="application/json")
    assert refused.status_code == 422
