"""Issue 17 item 2 through the API: a conditional material marked not applicable and a material
reused from a verified earlier case of the same applicant, with 422 for bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from govhall.cases.models import Case
from govhall.testing.cases import PERSON_ID
from govhall.testing.factories import MaterialFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cases"
PROXY = "授权委托书"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def proxy(case_item):
    return MaterialFactory(item=case_item, name=PROXY, position=4, condition="委托代理人办理时")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def body_for(item, window, *, flags=None, outcome="promised", key=None):
    flags = flags or {}
    materials = []
    for m in item.materials.all():
        row = {"material_id": m.pk, "received": m.name not in flags}
        row.update(flags.get(m.name, {}))
        materials.append(row)
    body = {
        "item_id": item.pk,
        "window_id": window.pk,
        "applicant": {
            "kind": "person",
            "name": "张三丰",
            "id_number": PERSON_ID,
            "phone": "13812345678",
        },
        "materials": materials,
        "outcome": outcome,
    }
    if key:
        body["idempotency_key"] = key
    return body


def test_not_applicable_through_the_api(client_as, clerk, case_item, hall_window, proxy):
    api = client_as(clerk)
    flags = {PROXY: {"not_applicable": True}}
    proposal = post(api, f"{BASE}/propose", {**body_for(case_item, hall_window, flags=flags)})
    assert proposal.status_code == 200 and proposal.json()["outcome"] == "promised"
    bad = post(
        api,
        f"{BASE}/propose",
        body_for(case_item, hall_window, flags={"申请书": {"not_applicable": True}}),
    )
    assert bad.status_code == 422 and bad.json()["errors"]["materials"]
    both = body_for(
        case_item, hall_window, flags={PROXY: {"not_applicable": True, "received": True}}
    )
    assert post(api, f"{BASE}/", both).status_code == 422
    created = post(api, f"{BASE}/", body_for(case_item, hall_window, flags=flags))
    assert created.status_code == 201, created.content
    detail = api.get(f"{BASE}/{created.json()['id']}").json()
    rows = {m["name"]: m for m in detail["materials"]}
    assert rows[PROXY]["not_applicable"] and not rows[PROXY]["received"]


def test_reuse_through_the_api(client_as, clerk, case_item, hall_window):
    api = client_as(clerk)
    first = post(api, f"{BASE}/", body_for(case_item, hall_window, key="k-1"))
    assert first.status_code == 201
    earlier = first.json()["id"]
    reuse = {"身份证明": {"reused_from_case_id": earlier}}
    proposal = post(
        api,
        f"{BASE}/propose",
        {**body_for(case_item, hall_window, flags=reuse), "id_number": PERSON_ID},
    )
    assert proposal.status_code == 200 and proposal.json()["outcome"] == "promised"
    anonymous = post(api, f"{BASE}/propose", body_for(case_item, hall_window, flags=reuse))
    assert anonymous.status_code == 422
    forged = {"身份证明": {"reused_from_case_id": earlier + 1000}}
    refused = post(api, f"{BASE}/", body_for(case_item, hall_window, flags=forged, key="k-2"))
    assert refused.status_code == 422 and refused.json()["errors"]["materials"]
    second = post(api, f"{BASE}/", body_for(case_item, hall_window, flags=reuse, key="k-3"))
    assert second.status_code == 201, second.content
    detail = api.get(f"{BASE}/{second.json()['id']}").json()
    rows = {m["name"]: m for m in detail["materials"]}
    assert rows["身份证明"]["received"] and rows["身份证明"]["reused_from_id"] == earlier
    assert Case.objects.count() == 2
