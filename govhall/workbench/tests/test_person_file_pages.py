"""The assessment file pages (issue 21 item 1b): a person's file (who may see it), the annual
assessment with its recording, the reports to departments (page, print, xlsx, sent) and the
temporary covers to replace."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govhall.assessment.models import AnnualResult, DepartmentReport
from govhall.core.models import Event, User
from govhall.org.models import Center, Department, Window
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.testing.person_files import YEAR, full_file, sheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(county: Center, department: Department, clerk: User, window_head: User) -> Window:
    window = WindowFactory(center=county, name="市场监管窗口", head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk, b_staff=window_head)
    return window


@pytest.fixture
def filed(window: Window, clerk: User, director: User) -> User:
    full_file(clerk, window, director)
    return clerk


def test_the_file_and_who_may_see_it(  # type: ignore[no-untyped-def]
    client_as, filed, director, supervisor, dept_leader, window_head, outsider, other_department
) -> None:
    url = reverse("workbench:person_file", args=[filed.pk]) + f"?year={YEAR}"
    html = client_as(director).get(url).content.decode()
    for section in ("file-sheets", "file-findings", "file-complaints", "file-ratings"):
        assert f'id="{section}"' in html
    assert "离岗未挂去向牌" in html and "业务培训" in html
    for reader in (supervisor, dept_leader, filed):
        assert client_as(reader).get(url).status_code == 200
    for stranger in (window_head, outsider):
        assert client_as(stranger).get(url).status_code == 404
    assert client_as(director).get(url + "x").status_code == 404  # a bad year names nothing
    mine = client_as(filed).get(reverse("workbench:my_person_file"))
    assert mine.status_code == 200 and mine.context["file"].person == filed


def test_the_return_action_is_reachable_from_the_file(  # type: ignore[no-untyped-def]
    client_as, filed, director
) -> None:
    for n in range(2):
        StaffFact.objects.create(
            user=filed, kind=StaffFactKind.CRITICISM_NOTICE, occurred_on=f"{YEAR + 1}-0{n + 1}-02"
        )
    html = client_as(director).get(reverse("workbench:person_file", args=[filed.pk])).content
    assert reverse("workbench:return_decide", args=[filed.pk]).encode() in html


def test_annual_page_records_a_result(  # type: ignore[no-untyped-def]
    client_as, window, clerk, director, dept_leader, county
) -> None:
    sheets(clerk, window, {1: "88"})
    url = reverse("workbench:assessment_annual") + f"?center={county.pk}&year={YEAR}"
    assert f'data-person="{clerk.pk}"' in client_as(dept_leader).get(url).content.decode()
    refused = client_as(dept_leader).post(url, {"person": clerk.pk, "grade": "fail"})
    assert refused.status_code == 404
    bad = client_as(director).post(url, {"person": clerk.pk, "grade": "excellent"})
    assert bad.status_code == 422 and not AnnualResult.objects.exists()
    done = client_as(director).post(url, {"person": clerk.pk, "grade": "fail"})
    assert done.status_code == 302
    assert AnnualResult.objects.get().grade == "fail"
    assert StaffFact.objects.filter(kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT).count() == 1


def test_department_reports_print_xlsx_and_send(  # type: ignore[no-untyped-def]
    client_as, filed, director, dept_leader, county, department: Department, other_department
) -> None:
    query = f"?center={county.pk}&kind=half_year&year={YEAR}&part=1"
    page = client_as(director).get(reverse("workbench:assessment_department_reports") + query)
    assert page.status_code == 200 and filed.display_name in page.content.decode()
    printed = client_as(dept_leader).get(
        reverse("workbench:assessment_department_report_print", args=[department.pk]) + query
    )
    assert printed.status_code == 200 and filed.display_name in printed.content.decode()
    workbook = client_as(dept_leader).get(
        reverse("workbench:assessment_department_report_xlsx", args=[department.pk])
        + query.replace("half_year", "attendance").replace("part=1", "part=6")
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == filed.display_name and rows[2][2] == 1  # late once in June
    # Another department's report is not the leader's business.
    assert (
        client_as(dept_leader)
        .get(
            reverse("workbench:assessment_department_report_print", args=[other_department.pk])
            + query
        )
        .status_code
        == 404
    )
    send = reverse("workbench:assessment_department_report_send", args=[department.pk])
    data = {"kind": "half_year", "year": YEAR, "part": 1}
    assert client_as(dept_leader).post(send, data).status_code == 404
    assert client_as(director).post(send, data).status_code == 302
    assert client_as(director).post(send, data).status_code == 302  # already: a message
    assert DepartmentReport.objects.count() == 1
    assert Event.objects.filter(action="department_report.send").count() == 1
    listed = client_as(dept_leader).get(reverse("workbench:assessment_department_reports"))
    assert 'id="reports-sent"' in listed.content.decode()
    assert department.name in listed.content.decode()


def test_flagged_covers_page(client_as, director, clerk, county) -> None:  # type: ignore[no-untyped-def]
    url = reverse("workbench:assessment_flagged_covers") + f"?center={county.pk}"
    assert client_as(director).get(url).status_code == 200
    assert client_as(clerk).get(url).status_code == 404


def test_api_file_annual_and_covers(  # type: ignore[no-untyped-def]
    client_as, filed, director, window_head, county
) -> None:
    api = client_as(director)
    found = api.get(f"/api/v1/assessment-files/people/{filed.pk}?year={YEAR}").json()
    assert found["average"] == "95.0" and found["patrol_findings"] == 1
    assert found["complaints_found_true"] == 1 and found["missed_study_sessions"] == 1
    assert (
        client_as(window_head).get(f"/api/v1/assessment-files/people/{filed.pk}").status_code == 404
    )
    api = client_as(director)
    rows = api.get(f"/api/v1/assessment-files/annual?center={county.pk}&year={YEAR}").json()
    assert [r["proposed_grade"] for r in rows] == ["pass"]  # 95.0 but criticised
    body = {"person_id": filed.pk, "year": YEAR, "grade": "bogus"}
    assert api.post("/api/v1/assessment-files/annual", body, "application/json").status_code == 422
    body["grade"] = ""
    assert api.post("/api/v1/assessment-files/annual", body, "application/json").status_code == 201
    assert api.post("/api/v1/assessment-files/annual", body, "application/json").status_code == 409
    assert api.get("/api/v1/assessment-files/flagged-covers").json() == []
