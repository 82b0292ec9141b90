"""Emergencies (处理大厅内发生的突发事件, seeds/002… 六6): the plan's revisions with a section per
kind (duty people of the center only), publishing only a complete plan, the log of incidents and
drills (a drill planned, then recorded), who may write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.hallops.access.hallops import access_emergency_event, access_plan, plans_in_scope
from govhall.hallops.models import PLAN_KINDS, EmergencyEvent, EventStatus, PlanStatus
from govhall.hallops.queries.hallops import center_plan, duty_lines
from govhall.hallops.services.emergencies import (
    drill_act,
    drill_plan,
    emergency_record,
    plan_draft_start,
    plan_publish,
    plan_section_save,
)
from govhall.org.models import Center

pytestmark = pytest.mark.django_db


def _fill(director: User, plan, people: list[int]) -> None:  # type: ignore[no-untyped-def]
    for kind in PLAN_KINDS:
        plan_section_save(
            actor=director,
            plan=plan,
            kind=kind,
            measures=f"{kind} 处置措施",
            phone="0571-88001101",
            duty_people=people,
        )


def test_plan_revisions_publish_and_supersede(
    director: User, guide: User, county: Center, outsider: User
) -> None:
    draft = plan_draft_start(actor=director, center=county)
    assert draft.revision == 1 and draft.sections.count() == len(PLAN_KINDS)
    # Incomplete: refused with one message per section lacking measures or a duty person.
    with pytest.raises(ValidationError) as refused:
        plan_publish(actor=director, plan=draft)
    assert len(refused.value.message_dict["sections"]) == len(PLAN_KINDS)
    # A duty person must be of the center; bad phone refused; nothing saved.
    with pytest.raises(ValidationError) as refused:
        plan_section_save(
            actor=director,
            plan=draft,
            kind="outage",
            measures="启用备用网络",
            phone="call me",
            duty_people=[outsider.pk],
        )
    assert {"phone", "duty_people"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        plan_section_save(
            actor=director, plan=draft, kind="other", measures="x", phone="", duty_people=[]
        )
    _fill(director, draft, [guide.pk, director.pk])
    first = plan_publish(actor=director, plan=draft)
    assert first.status == PlanStatus.PUBLISHED and first.published_at is not None
    with pytest.raises(Conflict):
        plan_publish(actor=director, plan=first)
    with pytest.raises(Conflict):
        plan_section_save(
            actor=director, plan=first, kind="outage", measures="x", phone="", duty_people=[]
        )
    # A new revision starts as a copy of the plan in force; publishing it supersedes the first.
    second = plan_draft_start(actor=director, center=county)
    assert plan_draft_start(actor=director, center=county) == second
    assert second.revision == 2
    copied = second.sections.get(kind="illness")
    assert copied.measures == "illness 处置措施"
    assert set(copied.duty_people.values_list("pk", flat=True)) == {guide.pk, director.pk}
    plan_publish(actor=director, plan=second)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    shown = center_plan(plans_in_scope(director), county.pk)
    assert shown.current == second and shown.draft is None
    lines = duty_lines(county.pk)
    assert len(lines) == len(PLAN_KINDS) and guide.display_name in lines[0].people


def test_plan_written_only_by_management_of_the_center(
    director: User, dept_leader: User, supervisor: User, outsider: User, county: Center
) -> None:
    for stranger in (dept_leader, supervisor, outsider):
        with pytest.raises(ValidationError):
            plan_draft_start(actor=stranger, center=county)
    draft = plan_draft_start(actor=director, center=county)
    assert access_plan(supervisor, draft.pk) == draft
    with pytest.raises(Http404):
        access_plan(supervisor, draft.pk, for_write=True)
    with pytest.raises(Http404):
        access_plan(outsider, draft.pk)


def test_incident_and_drill_log(director: User, supervisor: User, county: Center) -> None:
    now = timezone.now()
    incident = emergency_record(
        actor=director,
        center=county,
        kind="outage",
        is_drill=False,
        occurred_at=now - datetime.timedelta(hours=2),
        what_happened="断网 20 分钟",
        actions_taken="手工登记受理",
        outcome="恢复",
    )
    assert incident.status == EventStatus.RECORDED
    with pytest.raises(ValidationError) as refused:
        emergency_record(
            actor=director,
            center=county,
            kind="fire",
            is_drill=False,
            occurred_at=now + datetime.timedelta(days=1),
            what_happened="",
            actions_taken="",
        )
    assert {"kind", "occurred_at", "what_happened", "actions_taken"} <= set(
        refused.value.message_dict
    )
    with pytest.raises(ValidationError):
        emergency_record(
            actor=supervisor,
            center=county,
            kind="illness",
            is_drill=False,
            occurred_at=now,
            what_happened="x",
            actions_taken="y",
        )
    drill = drill_plan(
        actor=director,
        center=county,
        kind="crowding",
        planned_for=now + datetime.timedelta(days=7),
        what_happened="高峰疏散演练",
    )
    assert (drill.status, drill.is_drill) == (EventStatus.PLANNED, True)
    # Recording needs what was done; a refused recording leaves it planned.
    with pytest.raises(ValidationError):
        drill_act(actor=director, event=drill, action="record", occurred_at=now, actions_taken="")
    with pytest.raises(ValidationError):
        drill_act(actor=supervisor, event=drill, action="record", occurred_at=now)
    drill.refresh_from_db()
    assert drill.status == EventStatus.PLANNED
    done = drill_act(
        actor=director,
        event=drill,
        action="record",
        occurred_at=now,
        actions_taken="分流取号，东西出口疏散",
        outcome="6 分钟完成",
    )
    assert done.status == EventStatus.RECORDED and done.occurred_at == now
    with pytest.raises(Conflict):
        drill_act(actor=director, event=done, action="cancel")
    assert access_emergency_event(supervisor, done.pk) == done
    assert EmergencyEvent.objects.filter(center=county).count() == 2
