"""The public disclosure API (issue 18 item 5): 办件公示 masked exactly as the portal page masks,
the windows' A/B posts, the phones, on-time rates and rankings; no login, rate limited, 404 for
an unknown center."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from govhall.cases.models import Applicant, Case
from govhall.cases.statuses import CaseStatus
from govhall.testing.cases import ENTERPRISE_USCC, PERSON_ID, PHONE, bare_case
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/disclosure/centers"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _accepted(**fields):  # type: ignore[no-untyped-def]
    return {"accepted_at": timezone.now() - datetime.timedelta(hours=20), **fields}


def test_cases_masked_like_the_page(client, county, department):
    bare_case(county=county, department=department, number="P1", name="张三丰", **_accepted())
    Applicant.objects.create(
        kind="enterprise", name="示例科技有限公司", id_number=ENTERPRISE_USCC, phone="13900001111"
    )
    bare_case(
        county=county,
        department=department,
        number="E1",
        id_number=ENTERPRISE_USCC,
        status=CaseStatus.APPROVED,
        decided_at=timezone.now() - datetime.timedelta(hours=2),
        **_accepted(),
    )
    bare_case(county=county, department=department, number="NOTYET", status=CaseStatus.RECEIVED)
    response = client.get(f"{BASE}/{county.code}/cases")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = {row["number"]: row for row in body["items"]}
    assert rows["P1"]["applicant"] == "张*丰" and rows["P1"]["status"] == "受理"
    assert rows["E1"]["applicant"] == "示例科技有限公司" and rows["E1"]["status"] == "办结"
    decided = timezone.localdate(Case.objects.get(number="E1").decided_at)  # two hours ago
    assert rows["E1"]["finished_on"] == decided.isoformat()
    assert set(rows["P1"]) == {
        "number",
        "item",
        "applicant",
        "status",
        "accepted_on",
        "finished_on",
    }
    text = response.content.decode()
    for secret in (PERSON_ID, ENTERPRISE_USCC, PHONE, "13900001111", "张三丰"):
        assert secret not in text
    one = client.get(f"{BASE}/{county.code}/cases?number=p1").json()
    assert [row["number"] for row in one["items"]] == ["P1"]
    paged = client.get(f"{BASE}/{county.code}/cases?limit=1&offset=1").json()
    assert paged["count"] == 2 and len(paged["items"]) == 1
    assert client.get(f"{BASE}/nowhere/cases").status_code == 404


def test_cases_rate_limited_with_the_page(client, county, settings):
    settings.GOVHALL_PUBLIC_CASES_PER_MINUTE = 2
    assert client.get(f"/disclosure/{county.code}/cases/").status_code == 200
    assert client.get(f"{BASE}/{county.code}/cases").status_code == 200
    limited = client.get(f"{BASE}/{county.code}/cases")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert limited.json()["detail"]


def test_other_reads_rate_limited(client, county, settings):
    settings.GOVHALL_PUBLIC_API_PER_MINUTE = 2
    assert client.get(f"{BASE}/{county.code}").status_code == 200
    assert client.get(f"{BASE}/{county.code}/posts").status_code == 200
    assert client.get(f"{BASE}/{county.code}/on-time").status_code == 429


def test_posts_with_a_and_b_and_head(client, county, department):
    a = make_staff(None, county, department, full_name="李明华", phone="13700001234")
    a.staff.staff_number = "A0101"
    a.staff.save()
    b = make_staff(None, county, department, full_name="王芳", phone="13700005678")
    b.staff.staff_number = "B0202"
    b.staff.save()
    head = make_staff(None, county, department, full_name="赵主任")
    window = WindowFactory(center=county, number=7, name="不动产窗口", head=head)
    PostFactory(window=window, name="受理岗", a_staff=a, b_staff=b)
    WindowFactory(center=county, number=8, name="停用窗口", is_active=False)
    response = client.get(f"{BASE}/{county.code}/posts")
    windows = response.json()
    assert [w["number"] for w in windows] == [7]
    [post] = windows[0]["posts"]
    assert post["a"] == {
        "name": "李明华",
        "staff_number": "A0101",
        "department": department.name,
        "badge_number": "",  # no badge issued (issue 21 item 3)
    }
    assert post["b"]["name"] == "王芳" and post["b"]["staff_number"] == "B0202"
    assert windows[0]["head"]["name"] == "赵主任"
    text = response.content.decode()
    assert "13700001234" not in text and "13700005678" not in text and a.username not in text


def test_centers_and_phones(client, county, town):
    county.complaint_phone = "0571-12345"
    county.supervision_phone = "0571-12346"
    county.save()
    listed = client.get(BASE).json()
    assert {c["code"] for c in listed} >= {county.code, town.code}
    one = client.get(f"{BASE}/{county.code}").json()
    assert one["complaint_phone"] == "0571-12345" and one["supervision_phone"] == "0571-12346"
    assert client.get(f"{BASE}/nowhere").status_code == 404


def test_on_time_and_rankings(client, county, department):
    body = client.get(f"{BASE}/{county.code}/on-time").json()
    assert body["this_month"] == timezone.localdate().replace(day=1).isoformat()
    [row] = [d for d in body["departments"] if d["name"] == department.name]
    assert row["this_month"] == {"finished": 0, "on_time": 0, "rate": None}
    ranks = client.get(f"{BASE}/{county.code}/rankings").json()
    assert ranks["month"] == f"{timezone.localdate():%Y-%m}"
    assert ranks["windows"] == [] and ranks["staff"] == []
    later = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    refused = client.get(f"{BASE}/{county.code}/rankings?month={later:%Y-%m}")
    assert refused.status_code == 422 and "month" in refused.json()["errors"]
    assert client.get(f"{BASE}/{county.code}/rankings?month=2026-x").status_code == 422


def test_case_list_queries_do_not_grow(client, county, department, django_assert_max_num_queries):
    for n in range(2):
        bare_case(county=county, department=department, number=f"A{n}", **_accepted())
    client.get(f"{BASE}/{county.code}/cases")
    with django_assert_max_num_queries(10) as few:
        assert client.get(f"{BASE}/{county.code}/cases").json()["count"] == 2
    for n in range(10):
        bare_case(
            county=county, department=department, number=f"B{n}", id_number=PERSON_ID, **_accepted()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{BASE}/{county.code}/cases").json()["count"] == 12


def test_posts_queries_do_not_grow(client, county, department, django_assert_max_num_queries):
    def window_with_post(number: int) -> None:
        a = make_staff(None, county, department, full_name=f"甲{number}")
        b = make_staff(None, county, department, full_name=f"乙{number}")
        PostFactory(window=WindowFactory(center=county, number=number), a_staff=a, b_staff=b)

    window_with_post(1)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(f"{BASE}/{county.code}/posts").json()) == 1
    for number in range(2, 8):
        window_with_post(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/{county.code}/posts").json()) == 7
