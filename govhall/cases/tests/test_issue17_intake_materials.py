"""Issue 17 item 2: intake records what was handed in. A conditional material whose condition
does not apply is never missing; a material reused from a verified earlier case of the same
applicant counts as received and is recorded as reused."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import Case, CaseMaterial, Notice
from govhall.cases.queries.reuse import reuse_offers
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import (
    ApplicantData,
    MaterialCheck,
    Outcome,
    case_receive,
    propose_outcome,
)
from govhall.cases.statuses import CaseStatus
from govhall.core.models import Event
from govhall.testing.factories import MaterialFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2025, 9, 29, 10, tzinfo=TZ)
TUESDAY = datetime.datetime(2025, 9, 30, 10, tzinfo=TZ)
PROXY = "授权委托书"


@pytest.fixture
def proxy_item(case_item):
    MaterialFactory(
        item=case_item, name=PROXY, is_main=True, position=4, condition="委托代理人办理时"
    )
    return case_item


def checks(item, *, missing=(), na=(), reused=None, held=()):
    reused = reused or {}
    return [
        MaterialCheck(
            material_id=m.pk,
            received=m.name not in missing and m.name not in na and m.name not in reused,
            not_applicable=m.name in na,
            held_not_brought=m.name in held,
            reused_from=reused.get(m.name),
        )
        for m in item.materials.all()
    ]


def receive(clerk, item, window, applicant, materials, outcome=None, at=MONDAY, **kwargs):
    if outcome is None:
        outcome = propose_outcome(item=item, window=window, checks=materials).outcome
    return case_receive(
        actor=clerk,
        item=item,
        window=window,
        applicant=applicant,
        materials=materials,
        outcome=outcome,
        at=at,
        **kwargs,
    )


# --- conditional materials ------------------------------------------------------------------


def test_a_conditional_material_not_applicable_is_not_missing(proxy_item, hall_window):
    absent = propose_outcome(
        item=proxy_item, window=hall_window, checks=checks(proxy_item, missing={PROXY})
    )
    assert absent.outcome == Outcome.RETURNED
    excused = propose_outcome(
        item=proxy_item, window=hall_window, checks=checks(proxy_item, na={PROXY})
    )
    assert excused.outcome == Outcome.PROMISED and not excused.missing_main
    assert any(PROXY in reason for reason in excused.reasons)


def test_not_applicable_is_recorded_and_left_out_of_the_one_time_notice(
    clerk, proxy_item, hall_window, applicant_data
):
    materials = checks(proxy_item, missing={"场所使用证明"}, na={PROXY})
    case = receive(clerk, proxy_item, hall_window, applicant_data, materials)
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    row = case.materials.get(name=PROXY)
    assert row.not_applicable and not row.received
    notice = Notice.objects.get(case=case, kind="one_time")
    assert [m["name"] for m in notice.content["materials_missing"]] == ["场所使用证明"]
    event = Event.objects.get(action="case.receive", object_id=str(case.pk))
    assert event.data["not_applicable"] == [PROXY]
    # Once the attachment comes, the case is accepted: the excused main material is not missing.
    attachment = case.materials.get(name="场所使用证明")
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": [attachment.pk]}),
        at=MONDAY + datetime.timedelta(hours=1),
    )
    case = case_act(
        actor=clerk,
        case=case,
        action="accept",
        params=action_params("accept", {}),
        at=MONDAY + datetime.timedelta(hours=2),
    )
    assert case.status == CaseStatus.ACCEPTED


def test_only_a_conditional_material_may_be_marked_not_applicable(
    clerk, proxy_item, hall_window, applicant_data
):
    with pytest.raises(ValidationError) as error:
        receive(
            clerk,
            proxy_item,
            hall_window,
            applicant_data,
            checks(proxy_item, na={"申请书", PROXY}),
            outcome=Outcome.PROMISED,
        )
    assert "materials" in error.value.message_dict
    assert Case.objects.count() == 0


# --- reuse from a verified earlier case -----------------------------------------------------


@pytest.fixture
def earlier(clerk, case_item, hall_window, applicant_data) -> Case:
    case = receive(clerk, case_item, hall_window, applicant_data, checks(case_item))
    assert case.status == CaseStatus.ACCEPTED
    return case


def test_a_material_of_an_accepted_earlier_case_is_offered_and_reused(
    clerk, case_item, hall_window, applicant_data, earlier
):
    offers = reuse_offers(
        id_number=applicant_data.id_number, materials=case_item.materials.all(), now=TUESDAY
    )
    identity = case_item.materials.get(name="身份证明")
    assert offers[identity.pk].case_id == earlier.pk
    assert offers[identity.pk].case_number == earlier.number
    assert offers[identity.pk].verified_on == MONDAY.date()
    materials = checks(case_item, reused={"身份证明": earlier.pk})
    case = receive(clerk, case_item, hall_window, applicant_data, materials, at=TUESDAY)
    assert case.status == CaseStatus.ACCEPTED
    row = case.materials.get(name="身份证明")
    assert row.received and row.reused_from_id == earlier.pk
    event = Event.objects.get(action="case.receive", object_id=str(case.pk))
    assert event.data["reused"] == {"身份证明": earlier.pk}


def test_no_reuse_for_another_applicant_or_an_unaccepted_case(
    clerk, case_item, hall_window, applicant_data, earlier
):
    other = ApplicantData(
        kind="person", name="李四", id_number="11010519491231002X", phone="13800000000"
    )
    assert reuse_offers(id_number=other.id_number, materials=case_item.materials.all()) == {}
    with pytest.raises(ValidationError) as error:
        receive(
            clerk,
            case_item,
            hall_window,
            other,
            checks(case_item, reused={"身份证明": earlier.pk}),
            outcome=Outcome.PROMISED,
            at=TUESDAY,
        )
    assert "materials" in error.value.message_dict
    returned = receive(
        clerk,
        case_item,
        hall_window,
        applicant_data,
        checks(case_item, missing={"申请书"}),
        reason="主件缺失",
        basis="《行政许可法》第三十二条",
        at=TUESDAY,
    )
    assert returned.status == CaseStatus.NOT_ACCEPTED
    with pytest.raises(ValidationError):
        receive(
            clerk,
            case_item,
            hall_window,
            applicant_data,
            checks(case_item, reused={"申请书": returned.pk}),
            outcome=Outcome.PROMISED,
            at=TUESDAY,
        )
    assert CaseMaterial.objects.filter(reused_from__isnull=False).count() == 0
