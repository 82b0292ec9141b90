"""Issue 19's last pieces in the case services: the scanned authorization letter of a 代办 (checked
like an applicant's upload, stored under a random name, replaced with an event), the same agent
on every case of a 一件事 received at a window, and online submission only for items the catalog
offers online (the catalog's one rule, `online_refusal`, in the service itself)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.events import AgencyEvent
from govhall.cases.models import Case
from govhall.cases.services.agency import AgencyData, agency_letter_replace
from govhall.cases.services.bundles import case_bundle_receive
from govhall.cases.services.intake import (
    MaterialCheck,
    Outcome,
    case_receive,
    case_submit_online,
)
from govhall.catalog.queries.online_forms import online_refusal
from govhall.catalog.services.bundles import bundle_save
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import make_staff
from govhall.testing.online_files import EXE_BYTES, PDF_BYTES, PNG_BYTES, upload_of

pytestmark = pytest.mark.django_db

FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
LETTER_ON = datetime.date(2025, 9, 25)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def agent(county):
    return make_staff(Role.AGENT, county, username="agent-1")


def _checks(item):
    return [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]


def _agency(agent, letter=None):
    return AgencyData(
        agent_id=agent.pk, letter_number="WT-001", letter_on=LETTER_ON, full=True, letter=letter
    )


def _receive(clerk, item, window, applicant, **kwargs):
    return case_receive(
        actor=clerk,
        item=item,
        window=window,
        applicant=applicant,
        materials=_checks(item),
        outcome=Outcome.PROMISED,
        at=FRIDAY,
        **kwargs,
    )


def test_the_letter_copy_is_checked_stored_and_replaced_with_an_event(
    clerk, case_item, hall_window, applicant_data, agent, media, django_capture_on_commit_callbacks
):
    # a program renamed .pdf refuses the whole intake, on the letter's field
    with pytest.raises(ValidationError) as refused:
        _receive(
            clerk,
            case_item,
            hall_window,
            applicant_data,
            agency=_agency(agent, upload_of(EXE_BYTES, "letter.pdf")),
        )
    assert "agency_letter" in refused.value.message_dict and not Case.objects.exists()

    case = _receive(
        clerk, case_item, hall_window, applicant_data, agency=_agency(agent, upload_of(PDF_BYTES))
    )
    case.refresh_from_db()
    first = case.agency_letter.name
    assert first.endswith(".pdf") and "letter" not in first  # a random name, its detected kind
    assert case.agency_letter.read() == PDF_BYTES
    case.agency_letter.close()

    with django_capture_on_commit_callbacks(execute=True):
        agency_letter_replace(actor=clerk, case=case, letter=upload_of(PNG_BYTES, "scan.pdf"))
    case.refresh_from_db()
    assert case.agency_letter.name.endswith(".png") and case.agency_letter.name != first
    assert not (media / first).exists()  # the old copy is gone once committed
    event = Event.objects.get(action=AgencyEvent.LETTER, object_id=str(case.pk))
    assert event.data["replaced"] is True and event.data["letter_copy"] is True


def test_a_bundle_received_for_an_agent_carries_the_agent_on_every_case(
    county, case_item, full_item, hall_window, clerk, applicant_data, agent
):
    bundle = bundle_save(
        actor=None,
        center=county,
        data={"code": "YJS-R", "name": "开办餐馆", "promised_days": 3},
        item_ids=[case_item.pk, full_item.pk],
    )
    application, _created = case_bundle_receive(
        actor=clerk,
        bundle=bundle,
        window=hall_window,
        applicant=applicant_data,
        materials=_checks(case_item),
        at=FRIDAY,
        agency=_agency(agent, upload_of(PDF_BYTES)),
    )
    cases = list(Case.objects.filter(bundle=application))
    assert len(cases) == 2
    assert all(c.agent_id == agent.pk and c.agency_full and c.agency_letter for c in cases)
    assert len({c.agency_letter.name for c in cases}) == 2  # each case keeps its own copy


def test_online_submission_refuses_an_item_not_offered_online(clerk, case_item, applicant_data):
    assert not case_item.online_available
    with pytest.raises(ValidationError) as refused:
        case_submit_online(
            actor=clerk,
            item=case_item,
            applicant=applicant_data,
            materials=_checks(case_item),
            idempotency_key=None,
            at=FRIDAY,
        )
    assert refused.value.message_dict["item"] == [online_refusal(case_item)]
    assert not Case.objects.exists()
