"""One typed parameter object per case action: the form, the API and the engine share it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.case_transitions import TRANSITIONS
from govhall.cases.services.action_params import (
    PARAMS,
    ActionParams,
    DeliverParams,
    EscalateParams,
    ExtendParams,
    ReasonBasisParams,
    ReceivedParams,
    action_params,
)
from govhall.cases.services.actions import case_act
from govhall.cases.statuses import CaseStatus
from govhall.testing.cases import accepted_case


def test_every_action_of_the_table_has_a_parameter_object() -> None:
    assert {row.action for row in TRANSITIONS} == set(PARAMS)
    assert all(issubclass(cls, ActionParams) for cls in PARAMS.values())


def test_raw_values_are_typed() -> None:
    params = action_params(
        "escalate", {"center_id": "12", "forward_by": "2025-10-20", "ignored": "x"}
    )
    assert params == EscalateParams(center_id=12, forward_by=datetime.date(2025, 10, 20))
    assert not params.problems
    assert action_params("receive_supplement", {"received": ["3", 4, "3"]}) == ReceivedParams(
        received=(3, 4)
    )
    assert action_params("receive_pending", {"received": 5}).received == (5,)  # type: ignore[attr-defined]
    assert action_params("approve", {"reason": "x"}) == ActionParams()


def test_values_that_cannot_be_typed_are_kept_as_problems() -> None:
    params = action_params("extend", {"days": "three", "reason": "专家评审"})
    assert params == ExtendParams(days=None, reason="专家评审")
    assert params.problems == {"days": ("Enter a whole number.",)}
    assert action_params("receive_supplement", {"received": ["a"]}).problems == {
        "received": ("Choose from the list.",)
    }
    assert action_params("receive_result", {"approved": "maybe"}).problems == {
        "approved": ("Answer yes or no.",)
    }


@pytest.mark.django_db
def test_the_engine_refuses_a_problem_under_its_key_once(case_item, hall_window, approver) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(ValidationError) as refused:
        case_act(
            actor=approver,
            case=case,
            action="extend",
            params=action_params("extend", {"days": "three", "reason": "专家评审"}),
        )
    # Not also "Give the number of working days.": the value was given, it was not a number.
    assert refused.value.message_dict == {"days": ["Enter a whole number."]}
    case.refresh_from_db()
    assert case.extension_days == 0


@pytest.mark.django_db
def test_an_object_built_directly_is_still_checked_by_the_engine(
    case_item, hall_window, clerk, approver
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.AWAITING_APPROVAL)
    with pytest.raises(ValidationError) as refused:
        case_act(actor=approver, case=case, action="deny", params=ReasonBasisParams(reason=" "))
    assert refused.value.message_dict == {
        "reason": ["Give the reason for the denial."],
        "basis": ["Give the legal basis of the denial."],
    }
    with pytest.raises(ValidationError) as refused:
        case_act(
            actor=approver, case=case, action="deny", params=ReasonBasisParams(reason="x" * 2001)
        )
    assert refused.value.message_dict["reason"] == ["This is too long (at most 2000 characters)."]
    case = case_act(
        actor=approver,
        case=case,
        action="deny",
        params=ReasonBasisParams(reason="场所不符合要求", basis="《食品经营许可管理办法》"),
    )
    assert case.status == CaseStatus.DENIED and case.reason == "场所不符合要求"


@pytest.mark.django_db
def test_the_wrong_object_for_the_action_is_a_programming_error(
    case_item, hall_window, clerk
) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(TypeError):
        case_act(actor=clerk, case=case, action="suspend", params=DeliverParams(method="pickup"))
