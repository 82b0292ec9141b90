"""Patrol findings against a line of the center's published code of conduct (issue 21 item 3):
offered next to the six points, recorded with the line, counted under the line's section's
point, and raising the alert on who served the window like a fixed point."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import User
from govhall.org.models import Center, Department
from govhall.staffing.services.conduct import (
    conduct_code_publish,
    conduct_rule_add,
)
from govhall.supervision.models import Alert, PatrolFinding
from govhall.supervision.services.patrols import (
    FindingDraft,
    patrol_finding_add,
    patrol_round_start,
    patrol_visit_record,
)
from govhall.testing.patrols import DAY, at, make_desk

pytestmark = pytest.mark.django_db


def test_finding_against_a_code_line_is_recorded_and_raises_its_alert(
    director: User, county: Center, department: Department
) -> None:
    desk = make_desk(county, department, 1, "1")
    ban = conduct_rule_add(
        actor=director, center=county, section="bans", text="不串岗聊天", is_patrol_point=True
    )
    dress = conduct_rule_add(
        actor=director, center=county, section="dress", text="佩戴工作牌", is_patrol_point=True
    )
    quiet = conduct_rule_add(actor=director, center=county, section="bans", text="不吃零食")
    conduct_code_publish(actor=director, center=county)
    patrol_round = patrol_round_start(actor=director, center=county, at=at(DAY, 10))

    # A line that is not a published patrol point is refused, and nothing is written.
    with pytest.raises(ValidationError) as refused:
        patrol_visit_record(
            actor=director,
            patrol_round=patrol_round,
            window=desk.window,
            findings=[FindingDraft(point="conduct", note="吃零食", conduct_rule=quiet.pk)],
            at=at(DAY, 10, 5),
        )
    assert f"rule{quiet.pk}.point" in refused.value.message_dict
    assert not PatrolFinding.objects.exists()

    visit = patrol_visit_record(
        actor=director,
        patrol_round=patrol_round,
        window=desk.window,
        findings=[
            FindingDraft(point="conduct", note="与邻座聊天", conduct_rule=ban.pk),
            FindingDraft(point="conduct", note="语气生硬"),  # the fixed point beside it
        ],
        at=at(DAY, 10, 5),
    )
    named = PatrolFinding.objects.select_related("conduct_rule").get(conduct_rule=ban)
    assert named.point == "conduct"
    assert "不串岗聊天" in named.what_failed
    alert = Alert.objects.get(subject_key=f"finding:{named.pk}:{desk.a.pk}")
    assert alert.rule.code == "patrol_finding.yellow"
    assert "不串岗聊天" in alert.detail

    worn = patrol_finding_add(
        actor=director,
        visit=visit,
        point="",
        note="未佩戴",
        conduct_rule=dress.pk,
        at=at(DAY, 10, 6),
    )
    assert worn.point == "dress"  # a dress line counts under the dress point
    assert Alert.objects.filter(subject_key=f"finding:{worn.pk}:{desk.a.pk}").exists()
    with pytest.raises(ValidationError):
        patrol_finding_add(
            actor=director, visit=visit, point="", note="又未佩戴", conduct_rule=dress.pk
        )
