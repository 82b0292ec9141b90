"""Public disclosure (政务公开, issue 18 item 5): 办件公示 with masked applicants, rate limited and
searchable; the windows' A/B posts with names and staff numbers; the complaint and supervision
phones; the center's notices; links to the on-time rates and rankings."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Applicant
from govhall.cases.statuses import CaseStatus
from govhall.frontdesk.models import HallNotice
from govhall.testing.cases import ENTERPRISE_USCC, PERSON_ID, PHONE, bare_case
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _cases_url(center) -> str:  # type: ignore[no-untyped-def]
    return reverse("portal:disclosure_cases", args=[center.code])


def _accepted(**fields):  # type: ignore[no-untyped-def]
    return {"accepted_at": timezone.now() - datetime.timedelta(hours=20), **fields}


def test_cases_show_masked_persons_and_enterprise_names_and_nothing_else(
    client, county, department
):
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
    page = client.get(_cases_url(county)).content.decode()
    assert 'data-case="P1"' in page and 'data-case="E1"' in page
    assert "张*丰" in page and "张三丰" not in page
    assert "示例科技有限公司" in page
    for secret in (PERSON_ID, ENTERPRISE_USCC, PHONE, "13900001111", PHONE[-4:] + "<"):
        assert secret not in page
    assert "办结" in page and "受理" in page
    assert timezone.localdate().isoformat() in page or "—" in page


def test_only_accepted_cases_of_this_center_in_the_window(
    client, county, town, department, settings
):
    settings.GOVHALL_PUBLIC_CASES_DAYS = 30
    bare_case(county=county, department=department, number="SHOWN", **_accepted())
    bare_case(county=county, department=department, number="NOTYET", status=CaseStatus.RECEIVED)
    bare_case(
        county=county,
        department=department,
        number="VOID",
        status=CaseStatus.VOIDED,
        **_accepted(),
    )
    bare_case(
        county=county,
        department=department,
        number="OLD",
        received_at=timezone.now() - datetime.timedelta(days=31),
        **_accepted(),
    )
    bare_case(county=town, department=department, number="TOWN", **_accepted())
    page = client.get(_cases_url(county)).content.decode()
    assert 'data-case="SHOWN"' in page
    for hidden in ("NOTYET", "VOID", "OLD", "TOWN"):
        assert f'data-case="{hidden}"' not in page
    assert 'data-case="TOWN"' in client.get(_cases_url(town)).content.decode()


def test_search_by_case_number_and_pages(client, county, department, settings):
    settings.GOVHALL_PUBLIC_CASES_PAGE = 2
    for n in range(5):
        bare_case(
            county=county,
            department=department,
            number=f"N{n}",
            received_at=timezone.now() - datetime.timedelta(hours=30 - n),
            **_accepted(),
        )
    first = client.get(_cases_url(county)).content.decode()
    assert first.count("data-case=") == 2 and 'data-case="N4"' in first
    third = client.get(_cases_url(county), {"page": 3}).content.decode()
    assert third.count("data-case=") == 1 and 'data-case="N0"' in third
    found = client.get(_cases_url(county), {"number": " n2 "}).content.decode()
    assert found.count("data-case=") == 1 and 'data-case="N2"' in found


def test_cases_page_is_rate_limited_per_client(client, county, department, settings):
    settings.GOVHALL_PUBLIC_CASES_PER_MINUTE = 2
    bare_case(county=county, department=department, number="R1", **_accepted())
    assert client.get(_cases_url(county)).status_code == 200
    assert client.get(_cases_url(county), {"page": 2}).status_code == 200
    refused = client.get(_cases_url(county))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert 'data-case="R1"' not in refused.content.decode()
    other = client.get(_cases_url(county), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_unknown_or_inactive_center_is_404(client, county):
    assert client.get(reverse("portal:disclosure_cases", args=["NOPE"])).status_code == 404
    county.is_active = False
    county.save()
    assert client.get(_cases_url(county)).status_code == 404
    assert client.get(reverse("portal:disclosure_posts", args=[county.code])).status_code == 404


def test_posts_show_a_and_b_with_staff_numbers_and_the_head(client, county, department):
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
    page = client.get(reverse("portal:disclosure_posts", args=[county.code])).content.decode()
    assert 'data-window="7"' in page and 'data-window="8"' not in page
    assert "李明华" in page and "A0101" in page and "王芳" in page and "B0202" in page
    assert "赵主任" in page and department.name in page
    assert "13700001234" not in page and "13700005678" not in page
    assert a.username not in page


def test_phones_on_the_pages_and_the_portal_home(client, county, other_county):
    county.complaint_phone = "0571-12345"
    county.supervision_phone = "0571-12346"
    county.save()
    center = client.get(reverse("portal:disclosure_center", args=[county.code])).content.decode()
    assert 'data-phone="complaint">0571-12345' in center
    assert 'data-phone="supervision">0571-12346' in center
    posts = client.get(reverse("portal:disclosure_posts", args=[county.code])).content.decode()
    assert "0571-12345" in posts
    index = client.get(reverse("portal:disclosure")).content.decode()
    assert "0571-12346" in index and other_county.name in index
    home = client.get(reverse("portal:home"), follow=True).content.decode()
    assert 'id="portal-phones"' in home and "0571-12345" in home
    assert reverse("portal:disclosure") in home


def test_center_page_links_everything_and_lists_current_notices(client, county, town):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    HallNotice.objects.create(
        center=county,
        title="延时服务公告",
        body="周六上午照常办理",
        starts_at=now - hour,
        is_published=True,
    )
    HallNotice.objects.create(center=county, title="草稿公告", starts_at=now - hour)
    HallNotice.objects.create(
        center=county,
        title="过期公告",
        starts_at=now - 3 * hour,
        ends_at=now - hour,
        is_published=True,
    )
    HallNotice.objects.create(
        center=county, title="未来公告", starts_at=now + hour, is_published=True
    )
    HallNotice.objects.create(center=town, title="镇公告", starts_at=now - hour, is_published=True)
    page = client.get(reverse("portal:disclosure_center", args=[county.code])).content.decode()
    assert "延时服务公告" in page and "周六上午照常办理" in page
    for hidden in ("草稿公告", "过期公告", "未来公告", "镇公告"):
        assert hidden not in page
    for name in ("disclosure_cases", "disclosure_posts"):
        assert reverse(f"portal:{name}", args=[county.code]) in page
    assert f"{reverse('portal:on_time')}?center={county.code}" in page
    assert f"{reverse('portal:ratings')}?center={county.code}" in page
