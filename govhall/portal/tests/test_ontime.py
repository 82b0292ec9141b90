"""The public summary of on-time rates by department: no login, figures only, this month and
last month, cached."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.stats.queries.ontime import month_start, previous_month
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import bare_case

pytestmark = pytest.mark.django_db
URL = reverse("portal:on_time")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def decided(county, department, n: int, *, on: datetime.date, due: datetime.date | None, **kw):
    return bare_case(
        county=county,
        department=department,
        number=f"3301002025{n:010d}",
        status=kw.pop("status", CaseStatus.APPROVED),
        decided_at=at(on, kw.pop("hour", 10)),
        promised_due_on=due,
        name=f"申请人{n}",
        **kw,
    )


@pytest.fixture
def figures(county, department, other_department, other_county):
    first = month_start(timezone.localdate())
    last = previous_month(first)
    d = datetime.timedelta(days=1)
    # This month, department: on time (due that day, decided late in the evening local time),
    # late, without a promised deadline (on time); voided: not counted.
    decided(county, department, 1, on=first, due=first, hour=23)
    decided(county, department, 2, on=first, due=first - d)
    decided(county, department, 3, on=first, due=None, status=CaseStatus.DELIVERED)
    decided(county, department, 4, on=first, due=first - d, status=CaseStatus.VOIDED)
    # Last month: department 1 of 2 on time; other department 1 of 1.
    decided(county, department, 5, on=last, due=last)
    decided(county, department, 6, on=last + d, due=last)
    decided(county, other_department, 7, on=last, due=last + d)
    # Open, and another county: not here.
    bare_case(county=county, department=department, number="33010020259999999901")
    far_department = other_county.departments.create(code="X", name="别县部门")
    decided(other_county, far_department, 8, on=first, due=first - d)
    rebuild()  # the page reads the daily rollups (the worker keeps them current)
    return first, last


def row_of(response, department):
    return next(r for r in response.context["rows"] if r.department_id == department.pk)


def test_rates_by_department_this_month_and_last(
    client, figures, county, department, other_department
):
    response = client.get(URL, {"center": county.code})
    assert response.status_code == 200
    mine = row_of(response, department)
    assert (mine.this_month.finished, mine.this_month.on_time) == (3, 2)
    assert str(mine.this_month.rate) == "66.7"
    assert (mine.last_month.finished, mine.last_month.on_time) == (2, 1)
    other = row_of(response, other_department)
    assert (other.this_month.finished, other.this_month.rate) == (0, None)
    assert str(other.last_month.rate) == "100.0"
    html = response.content.decode()
    assert "66.7%" in html and department.name in html
    # No personal data: neither applicants' names nor case numbers.
    assert "申请人" not in html and "3301002025" not in html
    assert "张三丰" not in html


def test_cached_until_the_setting_expires(client, figures, county, department, settings):
    settings.GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS = 600
    client.get(URL, {"center": county.code})
    Case.objects.filter(department=department).update(decided_at=None)
    rebuild()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, {"center": county.code})
    assert row_of(again, department).this_month.finished == 3
    assert not any("cases_case" in q["sql"] for q in queries.captured_queries)
    assert not any("stats_casedayrollup" in q["sql"] for q in queries.captured_queries)
    settings.GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS = 0
    cache.clear()
    fresh = client.get(URL, {"center": county.code})
    assert row_of(fresh, department).this_month.finished == 0


def test_unknown_center_is_404_and_the_portal_links_the_page(client, county):
    assert client.get(URL, {"center": "nope"}).status_code == 404
    assert client.get(URL).status_code == 200
    home = client.get(reverse("portal:home"), follow=True)
    assert f'href="{URL}"' in home.content.decode()
