"""Period reports (通报, issue 18 item 4): generated on demand and by the worker's task, kept
immutable with versions, the workbook and PDF agree with hand-counted fixtures, and a user sees
only the reports of their center subtree."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from govhall.cases.models import Case
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.feedback.models import Rating, RatingChannel
from govhall.frontdesk.models import Inquiry, InquiryChannel, InquiryOutcome, InquiryStatus
from govhall.org.models import Center, Department
from govhall.stats.models import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.models.reports import ImmutableReport
from govhall.stats.queries.report_content import previous_period
from govhall.stats.services.reports import stats_report_generate, stats_reports_schedule
from govhall.stats.services.rollups import rebuild
from govhall.stats.tasks import make_period_reports
from govhall.testing.cases import make_case
from govhall.testing.complaints import local, make_complaint
from govhall.testing.factories import DepartmentFactory, ServiceItemFactory, make_staff

OCTOBER = datetime.date(2026, 10, 1)
NOW = local(2026, 11, 3, 9, 0)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rows_of(report: StatsReport, key: str) -> list[tuple[object, ...]]:
    """The data rows of a section's sheet, read back from the stored workbook."""
    keys = [section["key"] for section in report.content["sections"]]
    book = load_workbook(io.BytesIO(bytes(report.xlsx)))
    sheet = book.worksheets[1 + keys.index(key)]
    rows = list(sheet.iter_rows(values_only=True))
    count = len(report.content["sections"][keys.index(key)]["rows"])
    return rows[1 : 1 + count]


def rate(case: Case, level: int, day: int, month: int = 10) -> Rating:
    return Rating.objects.create(
        center=case.center,
        occasion=f"test:{Rating.objects.count()}",
        case=case,
        department=case.department,
        channel=RatingChannel.QR_CODE,
        level=level,
        rated_at=local(2026, month, day, 10, 0),
    )


def inquiry(center: Center, by: User, to: Department, *, day: int, done: bool) -> Inquiry:
    return Inquiry.objects.create(
        center=center,
        channel=InquiryChannel.VISIT,
        matter="营业执照怎么办",
        first_responder=by,
        outcome=InquiryOutcome.ANSWERED if done else InquiryOutcome.TRANSFERRED,
        status=InquiryStatus.DONE if done else InquiryStatus.OPEN,
        transferred_department=None if done else to,
        transferred_contact="" if done else "王科长",
        received_at=local(2026, 10, day, 9, 30),
    )


@pytest.fixture
def town_director(town: Center) -> User:
    return make_staff(Role.DIRECTOR, town, username="town_director")


@pytest.fixture
def october(
    county: Center, town: Center, department: Department, director: User, guide: User
) -> Case:
    """Hand-counted October 2026: county 2 cases received, 3 good + 1 bad rating (75.0%), one
    rating in September (outside), 2 complaints; the town 1 case, 1 good rating, 1 complaint;
    inquiries at the county: 3 received by the guide, 2 finished."""
    item = ServiceItemFactory(center=county, department=department)
    case = make_case(item, None, received=local(2026, 10, 9, 10, 0))
    make_case(item, None, received=local(2026, 10, 19, 10, 0))
    make_case(item, None, received=local(2026, 9, 19, 10, 0))  # September
    town_department = DepartmentFactory(center=town, code="TOWN", name="镇综合窗口")
    town_item = ServiceItemFactory(center=town, department=town_department)
    town_case = make_case(town_item, None, received=local(2026, 10, 12, 10, 0))
    rebuild()
    for level in (5, 4, 3, 1):
        rate(case, level, 10)
    rate(case, 1, 30, month=9)
    rate(town_case, 5, 12)
    make_complaint(director, county, received_at=local(2026, 10, 5, 10, 0))
    make_complaint(director, county, received_at=local(2026, 10, 20, 10, 0))
    make_complaint(director, town, received_at=local(2026, 10, 21, 10, 0))
    make_complaint(director, county, received_at=local(2026, 11, 2, 10, 0))  # next month
    inquiry(county, guide, department, day=6, done=True)
    inquiry(county, guide, department, day=7, done=True)
    inquiry(county, guide, department, day=8, done=False)
    return case


def test_on_demand_report_has_the_hand_counted_figures(
    client_as, director: User, county: Center, department: Department, october: Case
) -> None:
    response = client_as(director).post(
        reverse("workbench:stats_report_generate"),
        {"center": county.pk, "period": ReportPeriod.MONTH, "month": "2026-10"},
    )
    report = StatsReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:stats_report", args=[report.pk])
    assert (report.first, report.last, report.version) == (
        OCTOBER,
        datetime.date(2026, 10, 31),
        1,
    )
    assert report.trigger == ReportTrigger.DEMAND and report.generated_by == director
    satisfaction = {row[0]: row[1:] for row in rows_of(report, "satisfaction")}
    assert satisfaction[department.name] == (4, 3, 1, 75.0)
    assert list(satisfaction.values())[-1] == (5, 4, 1, 80.0)  # all, the town's rating too
    complaints = {row[0]: row[1] for row in rows_of(report, "complaints")}
    assert complaints[county.name] == 2 and complaints["示例镇便民服务中心"] == 1
    assert list(complaints.values())[-1] == 3
    inquiries = rows_of(report, "inquiries")
    assert inquiries[-1][1:4] == (3, 2, 66.7)
    # The case figures: received 2 at the county's department, 3 in the subtree.
    received = rows_of(report, "cases")[0]  # the first figure: received
    assert received[1] == 3
    by_department = {row[0]: row[1] for row in rows_of(report, "cases_by_department")}
    assert by_department[department.name] == 2 and by_department["镇综合窗口"] == 1
    by_center = {row[0]: row[1] for row in rows_of(report, "cases_by_center")}
    assert by_center[county.name] == 2
    keys = [section["key"] for section in report.content["sections"]]
    assert "definitions" in keys and "attendance" in keys


def test_pdf_is_an_a4_pdf_with_the_center_and_the_figures(
    director: User, county: Center, october: Case
) -> None:
    report = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    data = bytes(report.pdf)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = pdf_text(data)
    assert county.name in text
    assert "75.0" in text  # the department's satisfaction rate


def test_a_report_never_changes_and_regenerating_makes_a_new_version(
    director: User, county: Center, october: Case
) -> None:
    first = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    pdf = bytes(first.pdf)
    first.title = "改过的标题"
    with pytest.raises(ImmutableReport):
        first.save()
    rate(october, 1, 15)  # a late rating: only the new version shows it
    second = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    assert second.version == 2
    stored = StatsReport.objects.get(pk=first.pk)
    assert bytes(stored.pdf) == pdf and stored.title != "改过的标题"
    assert rows_of(stored, "satisfaction")[-1][1] == 5
    assert rows_of(second, "satisfaction")[-1][1] == 6


def test_quarter_and_year_cover_their_months(director: User, county: Center, october: Case) -> None:
    quarter = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.QUARTER, day=OCTOBER, now=NOW
    )
    year = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.YEAR, day=OCTOBER, now=NOW
    )
    assert (quarter.first, quarter.last) == (OCTOBER, datetime.date(2026, 12, 31))
    assert (year.first, year.last) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    # The year holds September's bad rating too: 6 ratings in all, the quarter 5.
    assert rows_of(year, "satisfaction")[-1][1] == 6
    assert rows_of(quarter, "satisfaction")[-1][1] == 5


def test_the_schedule_makes_last_months_report_once(
    settings, county: Center, town: Center, other_county: Center, october: Case
) -> None:
    settings.GOVHALL_STATS_REPORT_PERIODS = "month"
    settings.GOVHALL_STATS_REPORT_DELAY_DAYS = 1
    # On the 1st, October has ended but the day's delay has not passed.
    assert stats_reports_schedule(today=datetime.date(2026, 11, 1), now=NOW) == 0
    assert stats_reports_schedule(today=datetime.date(2026, 11, 2), now=NOW) == 3
    assert stats_reports_schedule(today=datetime.date(2026, 11, 3), now=NOW) == 0
    reports = StatsReport.objects.order_by("center__path")
    assert [(r.center_id, r.first, r.version, r.trigger) for r in reports] == [
        (center.pk, OCTOBER, 1, ReportTrigger.SCHEDULE)
        for center in sorted((county, town, other_county), key=lambda c: c.path)
    ]
    assert reports.get(center=county).generated_by is None


def test_the_worker_task_makes_last_months_report_once_not_twice(settings, county: Center) -> None:
    settings.GOVHALL_STATS_REPORT_PERIODS = "month"
    settings.GOVHALL_STATS_REPORT_DELAY_DAYS = 0
    assert make_period_reports.delay().get() == 1
    assert make_period_reports.delay().get() == 0
    first, last = previous_period(ReportPeriod.MONTH, datetime.date.today())
    report = StatsReport.objects.get()
    assert (report.center, report.first, report.last) == (county, first, last)


def test_a_town_director_lists_only_the_towns_reports_and_gets_404_on_others(
    client_as, director: User, town_director: User, county: Center, town: Center
) -> None:
    county_report = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    town_report = stats_report_generate(
        actor=town_director, center=town, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    client = client_as(town_director)
    page = client.get(reverse("workbench:stats_reports")).content.decode()
    assert town_report.title in page and county_report.title not in page
    for name in ("stats_report", "stats_report_pdf", "stats_report_xlsx"):
        assert client.get(reverse(f"workbench:{name}", args=[county_report.pk])).status_code == 404
        assert client.get(reverse(f"workbench:{name}", args=[town_report.pk])).status_code == 200
    # Nor can the town director generate the county's report.
    response = client.post(
        reverse("workbench:stats_report_generate"),
        {"center": county.pk, "period": ReportPeriod.MONTH, "month": "2026-10"},
    )
    assert response.status_code == 422
    assert StatsReport.objects.count() == 2
    # The county's director sees both.
    page = client_as(director).get(reverse("workbench:stats_reports")).content.decode()
    assert town_report.title in page and county_report.title in page


def test_downloads_are_the_stored_files(client_as, director: User, county: Center) -> None:
    report = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    client = client_as(director)
    pdf = client.get(reverse("workbench:stats_report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(report.pdf)
    xlsx = client.get(reverse("workbench:stats_report_xlsx", args=[report.pk]))
    assert xlsx.content == bytes(report.xlsx)
    assert "attachment" in xlsx["Content-Disposition"]


def test_who_reads_and_who_generates(
    client_as,
    director: User,
    supervisor: User,
    dept_leader: User,
    outsider: User,
    clerk: User,
    county: Center,
) -> None:
    assert client_as(supervisor).get(reverse("workbench:stats_reports")).status_code == 200
    refused = client_as(supervisor).post(
        reverse("workbench:stats_report_generate"),
        {"center": county.pk, "period": ReportPeriod.MONTH, "month": "2026-10"},
    )
    assert refused.status_code == 404
    for user in (dept_leader, clerk):
        assert client_as(user).get(reverse("workbench:stats_reports")).status_code == 404
    # Another county's director reads their own reports, never this county's.
    report = stats_report_generate(
        actor=director, center=county, kind=ReportPeriod.MONTH, day=OCTOBER, now=NOW
    )
    client = client_as(outsider)
    assert report.title not in client.get(reverse("workbench:stats_reports")).content.decode()
    assert client.get(reverse("workbench:stats_report_pdf", args=[report.pk])).status_code == 404


def test_a_period_not_begun_is_refused(client_as, director: User, county: Center) -> None:
    response = client_as(director).post(
        reverse("workbench:stats_report_generate"),
        {"center": county.pk, "period": ReportPeriod.MONTH, "month": "2099-01"},
    )
    assert response.status_code == 422
    assert not StatsReport.objects.exists()
