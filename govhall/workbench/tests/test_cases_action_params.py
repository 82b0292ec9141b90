"""The case action forms build the same typed parameter object as the API."""

from __future__ import annotations

import pytest

from govhall.cases.services.action_params import ExtendParams, SuspendParams, action_params
from govhall.testing.cases import accepted_case
from govhall.workbench.cases.forms import action_form


@pytest.mark.django_db
def test_the_form_and_the_api_build_the_same_object(case_item, hall_window) -> None:
    case = accepted_case(case_item, hall_window)
    form = action_form(
        "extend",
        case=case,
        data={"expected_version": case.version, "days": "3", "reason": " 需专家评审 "},
    )
    assert form.is_valid(), form.errors
    from_form = form.params()
    from_api = action_params("extend", {"days": 3, "reason": "需专家评审"})
    assert from_form == from_api == ExtendParams(days=3, reason="需专家评审")

    form = action_form(
        "suspend", case=case, data={"expected_version": case.version, "reason": "听证"}
    )
    assert form.is_valid(), form.errors
    # Suspension takes a legal ground (issue 16 item 8): the Chinese name is read as its code.
    assert form.params() == SuspendParams(reason="hearing")
