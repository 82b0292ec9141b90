"""The case list people can work with (issue 17 item 8): filters by center (with its subtree),
item, applicant phone (exact, normalised), days of receipt and channel; every row names its
center and window; the list exports as xlsx, masked unless the reader may see the numbers in
full, logged, capped, in a fixed number of queries."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from govhall.cases.events import CaseEvent
from govhall.cases.models import Applicant, Case
from govhall.cases.statuses import CaseStatus, Channel
from govhall.core.models import Event
from govhall.testing.cases import PERSON_ID, PHONE, local, make_case
from govhall.testing.factories import (
    DepartmentFactory,
    ItemWindowFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

URL = "/staff/cases/"
EXPORT = "/staff/cases/export.xlsx"


@pytest.fixture
def town_case(town, case_item):
    """A case of the town's window 1 (the county has a window 1 too), received 2025-10-08."""
    town_department = DepartmentFactory(center=town, code="ZSC", name="镇市场监管所")
    window = WindowFactory(center=town, number=1, name="镇综合窗口")
    window.departments.add(town_department)
    item = ServiceItemFactory(center=town, department=town_department, name="镇级事项")
    ItemWindowFactory(item=item, window=window)
    case = make_case(item, window, status=CaseStatus.ACCEPTED, received=local(2025, 10, 8))
    other = Applicant.objects.create(
        kind="person", name="李四", id_number="110101199003070011", phone="13900001111"
    )
    Case.objects.filter(pk=case.pk).update(applicant=other, channel=Channel.ONLINE)
    return case


@pytest.fixture
def county_case(case_item, hall_window):
    return make_case(
        case_item, hall_window, status=CaseStatus.ACCEPTED, received=local(2025, 9, 29)
    )


def numbers(page):
    return {row["case"].number for row in page.context["rows"]}


def test_filters_by_center_subtree_item_phone_dates_and_channel(
    client_as, director, county, town, county_case, town_case, case_item
):
    client = client_as(director)
    both = {county_case.number, town_case.number}
    assert numbers(client.get(URL)) == both
    assert numbers(client.get(URL, {"center": county.pk})) == both  # the county and its towns
    assert numbers(client.get(URL, {"center": town.pk})) == {town_case.number}
    assert numbers(client.get(URL, {"item": case_item.pk})) == {county_case.number}
    assert numbers(client.get(URL, {"phone": "+86 139-0000-1111"})) == {town_case.number}
    assert numbers(client.get(URL, {"phone": "1390000"})) == set()  # exact, not a part
    assert numbers(client.get(URL, {"from": "2025-10-01"})) == {town_case.number}
    assert numbers(client.get(URL, {"to": "2025-09-29"})) == {county_case.number}
    assert numbers(client.get(URL, {"from": "2025-10-08", "to": "2025-10-08"})) == {
        town_case.number
    }
    assert numbers(client.get(URL, {"channel": "online"})) == {town_case.number}
    assert numbers(client.get(URL, {"channel": "window"})) == {county_case.number}
    assert numbers(client.get(URL, {"from": "bad", "item": "x", "channel": "fax"})) == both


def test_a_center_outside_the_scope_filters_nothing_in(
    client_as, outsider, other_county, county_case
):
    page = client_as(outsider).get(URL, {"center": county_case.center_id})
    assert numbers(page) == set()


def test_rows_name_the_center_and_the_window(client_as, director, county_case, town_case):
    page = client_as(director).get(URL).content.decode()
    assert "示例镇便民服务中心" in page and "镇综合窗口" in page
    assert "示例县政务服务中心" in page and "市场准入窗口" in page
    assert 'id="f-center"' in page and 'id="f-phone"' in page and 'id="f-channel"' in page


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_is_what_the_list_shows_masked_and_logged(client_as, clerk, county_case, town_case):
    rows = _sheet(client_as(clerk).get(EXPORT, {"status": "all"}))
    assert len(rows) == 2  # the header and the clerk's department's county case
    line = rows[1]
    assert line[0] == county_case.number
    assert PERSON_ID not in line and PHONE not in line
    assert "1101**********4477" in line and "138****5678" in line
    assert any("示例县政务服务中心" in str(cell) and "市场准入窗口" in str(cell) for cell in line)
    event = Event.objects.get(action=CaseEvent.EXPORT_LIST)
    assert event.actor_id == clerk.pk
    assert event.data["rows"] == 1 and event.data["unmasked"] is False
    assert event.data["filters"] == {"status": "all"}


def test_full_numbers_only_for_management(client_as, clerk, director, county_case):
    assert client_as(clerk).get(EXPORT, {"full": "1"}).status_code == 404
    assert "full=1" not in client_as(clerk).get(URL).content.decode()
    assert "full=1" in client_as(director).get(URL).content.decode()
    rows = _sheet(client_as(director).get(EXPORT, {"full": "1", "item": county_case.item_id}))
    assert PERSON_ID in rows[1] and PHONE in rows[1]
    assert Event.objects.get(action=CaseEvent.EXPORT_LIST).data["unmasked"] is True


def test_export_beyond_the_cap_says_so_and_exports_nothing(
    client_as, director, settings, county_case, town_case
):
    settings.GOVHALL_CASE_EXPORT_MAX_ROWS = 1
    response = client_as(director).get(EXPORT, {"channel": ""}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][0].startswith(URL)
    text = response.content.decode()
    assert "at most 1" in text or "每次最多导出 1 件" in text
    assert not Event.objects.filter(action=CaseEvent.EXPORT_LIST).exists()
    assert client_as(director).get(EXPORT, {"center": town_case.center_id}).status_code == 200


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The working-day calendar re-checks its revision on a timer, not per row: left out.
    return len([q for q in captured.captured_queries if "workdays_" not in q["sql"]])


def test_list_and_export_queries_do_not_grow_with_rows(client_as, director, case_item, hall_window):
    make_case(case_item, hall_window)
    client = client_as(director)
    _count(client, URL)  # warm caches (calendar)
    few = (_count(client, URL), _count(client, EXPORT))
    for _n in range(6):
        make_case(case_item, hall_window)
    assert (_count(client, URL), _count(client, EXPORT)) == few
