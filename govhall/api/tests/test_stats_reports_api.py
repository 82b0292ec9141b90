"""Period reports (通报) through the API (issue 18 item 4): list, one report, its stored files,
generating on demand — each limited to the caller's center subtree (a town director sees only the
town's reports; an outsider and a missing report are the same 404)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center
from govhall.stats.models import ReportPeriod, ReportTrigger, StatsReport
from govhall.testing.factories import make_staff

BASE = "/api/v1/stats/reports"


def stored(center: Center, first: datetime.date, *, kind: str = "month", version: int = 1):
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    if kind == ReportPeriod.QUARTER:
        last = datetime.date(first.year, first.month + 2, 1) + datetime.timedelta(days=30)
    return StatsReport.objects.create(
        center=center,
        period=kind,
        first=first,
        last=last,
        version=version,
        trigger=ReportTrigger.SCHEDULE,
        generated_at=timezone.now(),
        title=f"{center.name} {first:%Y-%m}",
        content={"sections": [{"key": "cases", "title": "办件", "headers": ["a"], "rows": [[1]]}]},
        xlsx=b"PK-workbook",
        pdf=b"%PDF-1.4 report",
    )


@pytest.fixture
def town_director(town: Center) -> User:
    return make_staff(Role.DIRECTOR, town, username="town_director")


@pytest.fixture
def reports(db, county, town):
    return {
        "county": stored(county, datetime.date(2026, 10, 1)),
        "town": stored(town, datetime.date(2026, 10, 1)),
        "town_quarter": stored(town, datetime.date(2026, 7, 1), kind=ReportPeriod.QUARTER),
    }


def post(client, body):  # type: ignore[no-untyped-def]
    return client.post(BASE, json.dumps(body), content_type="application/json")


def test_scope_town_director_sees_only_the_towns(client_as, town_director, director, reports):
    body = client_as(town_director).get(BASE).json()
    assert body["count"] == 2
    assert {item["id"] for item in body["items"]} == {
        reports["town"].pk,
        reports["town_quarter"].pk,
    }
    county_report = reports["county"].pk
    client = client_as(town_director)
    assert client.get(f"{BASE}/{county_report}").status_code == 404
    assert client.get(f"{BASE}/{county_report}/file?format=pdf").status_code == 404
    assert client.get(f"{BASE}?center={reports['county'].center_id}").status_code == 404
    assert client_as(director).get(BASE).json()["count"] == 3


def test_outsider_and_readers_without_reports_get_404(
    client_as, outsider, dept_leader, clerk, reports
):
    town_report = reports["town"].pk
    for user in (outsider, dept_leader, clerk):
        client = client_as(user)
        assert client.get(f"{BASE}/{town_report}").status_code == 404
        assert client.get(f"{BASE}/{town_report}/file?format=xlsx").status_code == 404
    assert client_as(outsider).get(BASE).json()["count"] == 0
    assert client_as(clerk).get(BASE).status_code == 404
    missing = client_as(outsider).get(f"{BASE}/999999")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_filters_and_bad_filters(client_as, director, reports):
    client = client_as(director)
    quarter = client.get(f"{BASE}?kind=quarter").json()
    assert [item["id"] for item in quarter["items"]] == [reports["town_quarter"].pk]
    august = client.get(f"{BASE}?period=2026-08").json()
    assert [item["id"] for item in august["items"]] == [reports["town_quarter"].pk]
    town_only = client.get(f"{BASE}?center={reports['town'].center_id}&kind=month").json()
    assert [item["id"] for item in town_only["items"]] == [reports["town"].pk]
    bad_kind = client.get(f"{BASE}?kind=week")
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    bad_month = client.get(f"{BASE}?period=2026-13")
    assert bad_month.status_code == 422 and "period" in bad_month.json()["errors"]


def test_one_report_and_its_files(client_as, director, reports):
    client = client_as(director)
    report = reports["county"]
    body = client.get(f"{BASE}/{report.pk}").json()
    assert body["kind"] == "month" and body["center_code"] == report.center.code
    assert body["sections"][0]["key"] == "cases" and body["generated_by"] is None
    assert body["pdf_url"].endswith(f"/{report.pk}/file?format=pdf")
    pdf = client.get(f"{BASE}/{report.pk}/file?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.4 report"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="report-{report.center.code}-month-2026-10-v1.pdf"'
    )
    xlsx = client.get(f"{BASE}/{report.pk}/file?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content == b"PK-workbook" and xlsx["Content-Disposition"].endswith('.xlsx"')
    refused = client.get(f"{BASE}/{report.pk}/file?format=doc")
    assert refused.status_code == 422 and "format" in refused.json()["errors"]


def test_list_queries_do_not_grow(client_as, director, county, town, django_assert_max_num_queries):
    client = client_as(director)
    stored(county, datetime.date(2026, 1, 1))
    client.get(BASE)
    with django_assert_max_num_queries(10) as few:
        assert client.get(BASE).json()["count"] == 1
    for month in range(2, 12):
        stored(county, datetime.date(2026, month, 1))
        stored(town, datetime.date(2026, month, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(BASE).json()["count"] == 21


def test_generate_on_demand_409_unless_replace(client_as, director, town, town_director):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    body = {"center": town.pk, "kind": "month", "month": f"{last_month:%Y-%m}"}
    client = client_as(town_director)
    made = post(client, body)
    assert made.status_code == 201, made.content
    first = made.json()
    assert first["version"] == 1 and first["trigger"] == "demand"
    assert first["generated_by"]["username"] == "town_director"
    again = post(client, body)
    assert again.status_code == 409 and again.json()["detail"]
    assert StatsReport.objects.filter(center=town).count() == 1
    replaced = post(client, {**body, "replace": True})
    assert replaced.status_code == 201 and replaced.json()["version"] == 2


def test_generate_refusals(client_as, director, town_director, outsider, county, town):
    client = client_as(town_director)
    # The county is above the town director: 404, as for an outsider on the town.
    assert post(client, {"center": county.pk, "kind": "month", "month": "2026-01"}).status_code == (
        404
    )
    assert (
        post(
            client_as(outsider), {"center": town.pk, "kind": "month", "month": "2026-01"}
        ).status_code
        == 404
    )
    client = client_as(director)
    bad_kind = post(client, {"center": town.pk, "kind": "week", "month": "2026-01"})
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    bad_month = post(client, {"center": town.pk, "kind": "month", "month": "2026-1x"})
    assert bad_month.status_code == 422 and "month" in bad_month.json()["errors"]
    future = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    later = post(client, {"center": town.pk, "kind": "month", "month": f"{future:%Y-%m}"})
    assert later.status_code == 422 and "month" in later.json()["errors"]
    assert not StatsReport.objects.exists()
