"""代办 (issue 19 item 6): an agent carries a case for its applicant on an authorization letter.

Rule: the agent holds the 代办员 role and works at the case's center or below it (a village
agent carries cases of its town and county); no agency without the letter's number and date."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.cases.events import AgencyEvent
from govhall.cases.models import Case
from govhall.cases.services.agency import AgencyData, agency_assign, agency_end
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models.centers import CenterLevel
from govhall.testing.cases import PERSON_ID
from govhall.testing.factories import CenterFactory, make_staff

pytestmark = pytest.mark.django_db

FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
LETTER_ON = datetime.date(2025, 9, 25)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def village_agent(town):
    village = CenterFactory(
        code="33010101", name="示例村便民服务室", level=CenterLevel.VILLAGE, parent=town
    )
    return make_staff(Role.AGENT, village, username="village-agent")


@pytest.fixture
def receive(clerk, hall_window, applicant_data, case_item):
    def _receive(**kwargs):
        return case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=[
                MaterialCheck(material_id=m.pk, received=True) for m in case_item.materials.all()
            ],
            outcome=Outcome.PROMISED,
            at=FRIDAY,
            **kwargs,
        )

    return _receive


def _letter(agent, **extra):
    return AgencyData(agent_id=agent.pk, letter_number="WT-2025-001", letter_on=LETTER_ON, **extra)


def _actions(case):
    return list(
        Event.objects.filter(object_id=str(case.pk), action__startswith="agency.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_intake_records_the_agent_and_the_letter(receive, village_agent):
    case = receive(agency=_letter(village_agent, full=True, scope="全程代办开办手续"))
    case.refresh_from_db()
    assert case.agent == village_agent and case.agency_full
    assert (case.agency_letter_number, case.agency_letter_on) == ("WT-2025-001", LETTER_ON)
    assert _actions(case) == [AgencyEvent.ASSIGN]
    event = Event.objects.get(action=AgencyEvent.ASSIGN)
    assert event.data["agent"] == village_agent.pk and event.data["full"] is True


@pytest.mark.parametrize(
    ("who", "extra", "field"),
    [
        ("agent", {"letter_number": ""}, "agency_letter_number"),
        ("agent", {"letter_on": None}, "agency_letter_on"),
        ("outsider_agent", {}, "agent"),  # another county: outside the case's subtree
        ("clerk", {}, "agent"),  # not a 代办员
    ],
)
def test_no_agency_without_a_letter_or_outside_the_scope(
    request, receive, agent, other_county, who, extra, field
):
    person = (
        make_staff(Role.AGENT, other_county, username="far-agent")
        if who == "outsider_agent"
        else request.getfixturevalue(who)
    )
    data = {"agent_id": person.pk, "letter_number": "WT-1", "letter_on": LETTER_ON, **extra}
    with pytest.raises(ValidationError) as refused:
        receive(agency=AgencyData(**data))
    assert field in refused.value.message_dict
    assert Case.objects.count() == 0


def test_change_and_end_by_the_window_or_the_agent_and_nobody_else(
    receive, clerk, agent, village_agent, outsider
):
    case = receive()
    with pytest.raises(CaseConflict):
        agency_assign(actor=outsider, case=case, data=_letter(agent))
    agency_assign(actor=clerk, case=case, data=_letter(agent))
    agency_assign(actor=agent, case=case, data=_letter(village_agent, full=True))
    with pytest.raises(CaseConflict):  # no longer theirs
        agency_end(actor=agent, case=case)
    agency_end(actor=village_agent, case=case, reason="委托撤回")
    case.refresh_from_db()
    assert case.agent is None and not case.agency_letter_number
    assert _actions(case) == [AgencyEvent.ASSIGN, AgencyEvent.CHANGE, AgencyEvent.END]


def test_the_agent_sees_their_case_page_list_and_home_card(
    client_as, receive, agent, village_agent, django_assert_num_queries
):
    carried = receive(agency=_letter(agent))
    full = receive(agency=_letter(agent, full=True))
    other = receive(agency=_letter(village_agent))
    receive()
    client = client_as(agent)
    page = client.get(reverse("workbench:case", args=[full.pk]), **EN).content.decode()
    assert 'id="agency"' in page and "data-full-agency" in page
    assert "代办员甲 carries this case for the applicant" in page and "WT-2025-001" in page
    assert client.get(reverse("workbench:case", args=[other.pk])).status_code == 404
    url = reverse("workbench:agency_cases")
    client.get(url)  # warm the session and the menu's caches
    with django_assert_num_queries(5):  # session, user, roles, staff, the list
        html = client.get(url, **EN).content.decode()
    assert 'data-total="2"' in html
    assert html.index(full.number) < html.index(carried.number) and other.number not in html
    home = client.get(reverse("workbench:home"), **EN).content.decode()
    assert url in home and "Cases I carry" in home


def test_the_api_takes_agency_at_intake_and_lists_my_cases(
    client_as, clerk, agent, case_item, hall_window
):
    body = {
        "item_id": case_item.pk,
        "window_id": hall_window.pk,
        "applicant": {
            "kind": "person",
            "name": "张三丰",
            "id_number": PERSON_ID,
            "phone": "13800138000",
        },
        "materials": [{"material_id": m.pk, "received": True} for m in case_item.materials.all()],
        "outcome": "promised",
    }
    client = client_as(clerk)
    agency = {"agent_id": agent.pk, "letter_number": "WT-9", "letter_on": "2025-09-25"}
    refused = client.post(
        "/api/v1/cases/",
        {**body, "agency": {**agency, "letter_number": ""}},
        content_type="application/json",
    )
    assert refused.status_code == 422 and Case.objects.count() == 0
    answer = client.post(
        "/api/v1/cases/", {**body, "agency": agency}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    mine = client_as(agent).get("/api/v1/cases/", {"agent": "me"}).json()
    assert [row["id"] for row in mine["items"]] == [answer.json()["id"]]
    detail = client_as(agent).get(f"/api/v1/cases/{answer.json()['id']}").json()
    assert detail["agent"]["username"] == "agent" and detail["agency_letter_number"] == "WT-9"


def test_the_window_names_and_ends_the_agency_on_the_case_page(client_as, clerk, receive, agent):
    case = receive()
    client = client_as(clerk)
    page = client.get(reverse("workbench:case", args=[case.pk]), **EN).content.decode()
    assert "Name an agent" in page and f'value="{agent.pk}"' in page
    url = reverse("workbench:case_agency", args=[case.pk])
    form = {"agency-agent": agent.pk, "agency-letter_on": "2025-09-25", "agency-full": "on"}
    client.post(url, form)  # no letter number: refused
    case.refresh_from_db()
    assert case.agent is None
    client.post(url, {**form, "agency-letter_number": "WT-7"})
    case.refresh_from_db()
    assert case.agent == agent and case.agency_full
    client.post(url, {"end": "1"})
    case.refresh_from_db()
    assert case.agent is None
    assert _actions(case) == [AgencyEvent.ASSIGN, AgencyEvent.END]
