"""Emergencies in the hall (处理大厅内发生的突发事件, seeds/002… 六6): the plan and the log.

Entry points:
def plan_draft_start(*, actor, center) -> EmergencyPlan
def plan_section_save(*, actor, plan, kind, measures, phone, duty_people) -> EmergencyPlanSection
def plan_publish(*, actor, plan) -> EmergencyPlan
def emergency_record(*, actor, center, kind, is_drill, occurred_at, what_happened, ...)
def drill_plan(*, actor, center, kind, planned_for, what_happened) -> EmergencyEvent
def drill_act(*, actor, event, action, occurred_at=None, ...) -> EmergencyEvent (DRILL_TRANSITIONS)

A manager of the center writes the plan as a draft revision (a copy of the plan in force, or
empty), one section per kind of emergency — power or network outage, crowding, a conflict at a
window, a sudden illness — each with its measures, its duty people (active staff of the center)
and a phone. Publishing needs every section with measures and a duty person; it puts the draft
in force and supersedes the earlier revision. Incidents are recorded as they happened; a drill
is recorded the same way or planned first and recorded (or cancelled) later. Every write is
atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, StateRefusal, refusal_error
from govhall.hallops.access.hallops import can_run_center, center_parties
from govhall.hallops.events import HallOpsEvent
from govhall.hallops.models import (
    PLAN_KINDS,
    EmergencyEvent,
    EmergencyKind,
    EmergencyPlan,
    EmergencyPlanSection,
    EventStatus,
    PlanStatus,
)
from govhall.hallops.transitions import DRILL_TRANSITIONS, DrillAction
from govhall.org.models import Center, Staff

MEASURES_MAX = 5000
PHONE_MAX = 32
TEXT_MAX = 5000
PEOPLE_MAX = 300
DUTY_PEOPLE_MAX = 10


def _check_runner(actor: User | None, center_id: int) -> None:
    if not can_run_center(actor, center_id):
        raise ValidationError(_("You may not run the emergency work of this center."))


def _check_phone(errors: FieldErrors, value: object) -> str:
    phone = errors.text("phone", value, max_length=PHONE_MAX)
    if phone and not all(ch.isdigit() or ch in "-+ ()" for ch in phone):
        errors.add("phone", _("Enter a phone number (digits and dashes)."))
    return phone


@transaction.atomic
def plan_draft_start(*, actor: User | None, center: Center) -> EmergencyPlan:
    """A draft revision of the center's plan: the one being written, or a new one copied from
    the plan in force (empty sections for a first plan)."""
    _check_runner(actor, center.pk)
    Center.objects.select_for_update().filter(pk=center.pk).first()
    draft = EmergencyPlan.objects.filter(center=center, status=PlanStatus.DRAFT).first()
    if draft is not None:
        return draft
    current = (
        EmergencyPlan.objects.filter(center=center, status=PlanStatus.PUBLISHED)
        .prefetch_related("sections__duty_people")
        .first()
    )
    last = EmergencyPlan.objects.filter(center=center).aggregate(top=Max("revision"))["top"]
    draft = EmergencyPlan.objects.create(center=center, revision=(last or 0) + 1)
    earlier = {s.kind: s for s in current.sections.all()} if current else {}
    for kind in PLAN_KINDS:
        source = earlier.get(kind)
        section = EmergencyPlanSection.objects.create(
            plan=draft,
            kind=kind,
            measures=source.measures if source else "",
            phone=source.phone if source else "",
        )
        if source is not None:
            section.duty_people.set(list(source.duty_people.all()))
    record_event(
        actor=actor,
        action=HallOpsEvent.PLAN_DRAFT,
        obj=draft,
        center_id=center.pk,
        data={"revision": draft.revision},
    )
    return draft


def duty_candidates(center_id: int) -> list[User]:
    """Who may be a duty person of a center's plan: its active staff."""
    return list(
        User.objects.filter(staff__center_id=center_id, is_active=True).order_by(
            "full_name", "username"
        )
    )


@transaction.atomic
def plan_section_save(
    *,
    actor: User | None,
    plan: EmergencyPlan,
    kind: object,
    measures: object,
    phone: object,
    duty_people: Sequence[object],
) -> EmergencyPlanSection:
    locked = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
    _check_runner(actor, locked.center_id)
    if locked.status != PlanStatus.DRAFT:
        raise refusal_error(StateRefusal(_("Only a draft revision of the plan is edited.")))
    errors = FieldErrors()
    chosen = errors.choice("kind", kind, PLAN_KINDS)
    text = errors.text("measures", measures, max_length=MEASURES_MAX)
    phone_text = _check_phone(errors, phone)
    ids: list[int] = []
    for value in duty_people:
        try:
            ids.append(int(str(value)))
        except ValueError:
            errors.add("duty_people", _("Choose from the list."))
            break
    allowed = set(
        Staff.objects.filter(
            center_id=locked.center_id, user_id__in=ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if set(ids) - allowed:
        errors.add("duty_people", _("A duty person must be an active member of the center."))
    if len(set(ids)) > DUTY_PEOPLE_MAX:
        errors.add(
            "duty_people",
            _("Name at most %(count)d duty people.") % {"count": DUTY_PEOPLE_MAX},
        )
    errors.raise_if_any()
    section = EmergencyPlanSection.objects.get(plan=locked, kind=chosen)
    section.measures = text
    section.phone = phone_text
    section.save(update_fields=["measures", "phone"])
    section.duty_people.set(sorted(set(ids)))
    record_event(
        actor=actor,
        action=HallOpsEvent.PLAN_SAVE_SECTION,
        obj=locked,
        center_id=locked.center_id,
        data={"kind": str(chosen), "duty_people": sorted(set(ids))},
    )
    return section


def plan_gaps(plan: EmergencyPlan) -> list[str]:
    """What keeps the plan from being published: one message per section lacking measures or
    a duty person."""
    gaps = []
    for section in plan.sections.prefetch_related("duty_people").order_by("id"):
        if not section.measures.strip() or not section.duty_people.all():
            gaps.append(
                _("%(kind)s: write the measures and name at least one duty person.")
                % {"kind": section.get_kind_display()}
            )
    return gaps


@transaction.atomic
def plan_publish(*, actor: User | None, plan: EmergencyPlan) -> EmergencyPlan:
    locked = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
    _check_runner(actor, locked.center_id)
    if locked.status != PlanStatus.DRAFT:
        raise refusal_error(StateRefusal(_("This revision is published already.")))
    gaps = plan_gaps(locked)
    if gaps:
        raise ValidationError({"sections": gaps})
    superseded = list(
        EmergencyPlan.objects.select_for_update()
        .filter(center_id=locked.center_id, status=PlanStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    EmergencyPlan.objects.filter(pk__in=superseded).update(status=PlanStatus.SUPERSEDED)
    locked.status = PlanStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record_event(
        actor=actor,
        action=HallOpsEvent.PLAN_PUBLISH,
        obj=locked,
        center_id=locked.center_id,
        data={"revision": locked.revision, "superseded": superseded},
    )
    return locked


def _check_moment(errors: FieldErrors, field: str, value: object, *, past: bool) -> None:
    if not isinstance(value, datetime.datetime):
        errors.add(field, _("Enter a date and time."))
    elif past and value > timezone.now() + datetime.timedelta(minutes=5):
        errors.add(field, _("This cannot be in the future."))


@transaction.atomic
def emergency_record(
    *,
    actor: User,
    center: Center,
    kind: object,
    is_drill: bool,
    occurred_at: object,
    what_happened: object,
    actions_taken: object = "",
    people_involved: object = "",
    outcome: object = "",
) -> EmergencyEvent:
    """Log an incident (or a drill not planned ahead) as it happened."""
    _check_runner(actor, center.pk)
    errors = FieldErrors()
    chosen = errors.choice("kind", kind, EmergencyKind.values)
    _check_moment(errors, "occurred_at", occurred_at, past=True)
    what = errors.text(
        "what_happened", what_happened, max_length=TEXT_MAX, required=_("Say what happened.")
    )
    actions = errors.text(
        "actions_taken", actions_taken, max_length=TEXT_MAX, required=_("Say what was done.")
    )
    people = errors.text("people_involved", people_involved, max_length=PEOPLE_MAX)
    result = errors.text("outcome", outcome, max_length=TEXT_MAX)
    errors.raise_if_any()
    assert isinstance(occurred_at, datetime.datetime)
    event = EmergencyEvent.objects.create(
        center=center,
        kind=chosen,
        is_drill=bool(is_drill),
        status=EventStatus.RECORDED,
        occurred_at=occurred_at,
        what_happened=what,
        actions_taken=actions,
        people_involved=people,
        outcome=result,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=HallOpsEvent.EVENT_RECORD,
        obj=event,
        center_id=center.pk,
        data={"kind": str(chosen), "drill": bool(is_drill)},
    )
    return event


@transaction.atomic
def drill_plan(
    *,
    actor: User,
    center: Center,
    kind: object,
    planned_for: object,
    what_happened: object,
) -> EmergencyEvent:
    """Plan a drill: its kind, when, and the scenario (kept as what happened)."""
    _check_runner(actor, center.pk)
    errors = FieldErrors()
    chosen = errors.choice("kind", kind, EmergencyKind.values)
    _check_moment(errors, "planned_for", planned_for, past=False)
    scenario = errors.text(
        "what_happened",
        what_happened,
        max_length=TEXT_MAX,
        required=_("Describe the scenario of the drill."),
    )
    errors.raise_if_any()
    assert isinstance(planned_for, datetime.datetime)
    event = EmergencyEvent.objects.create(
        center=center,
        kind=chosen,
        is_drill=True,
        status=EventStatus.PLANNED,
        planned_for=planned_for,
        what_happened=scenario,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=HallOpsEvent.EVENT_PLAN_DRILL,
        obj=event,
        center_id=center.pk,
        data={"kind": str(chosen)},
    )
    return event


def drill_refusal(actor: User | None, event: EmergencyEvent, action: str) -> str | None:
    row = DRILL_TRANSITIONS.row(event.status, action)
    if row is None:
        if action not in DRILL_TRANSITIONS.actions():
            return _("Choose from the list.")
        return StateRefusal(_("This drill is not planned any more."))
    if not row.who & center_parties(actor, event.center_id):
        return _("You may not run the emergency work of this center.")
    return None


def drill_actions(actor: User | None, event: EmergencyEvent) -> list[tuple[str, str]]:
    return [
        (row.action, str(DrillAction(row.action).label))
        for row in DRILL_TRANSITIONS.rows_from(event.status)
        if drill_refusal(actor, event, row.action) is None
    ]


@transaction.atomic
def drill_act(
    *,
    actor: User,
    event: EmergencyEvent,
    action: str,
    occurred_at: object = None,
    actions_taken: object = "",
    people_involved: object = "",
    outcome: object = "",
) -> EmergencyEvent:
    """Record how a planned drill went (`record`), or cancel it (`cancel`)."""
    locked = EmergencyEvent.objects.select_for_update().get(pk=event.pk)
    refusal = drill_refusal(actor, locked, action)
    if refusal is not None:
        raise refusal_error(refusal, field="action")
    row = DRILL_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    fields = ["status", "updated_at"]
    if action == DrillAction.RECORD:
        errors = FieldErrors()
        _check_moment(errors, "occurred_at", occurred_at, past=True)
        actions = errors.text(
            "actions_taken",
            actions_taken,
            max_length=TEXT_MAX,
            required=_("Say what was done."),
        )
        people = errors.text("people_involved", people_involved, max_length=PEOPLE_MAX)
        result = errors.text("outcome", outcome, max_length=TEXT_MAX)
        errors.raise_if_any()
        assert isinstance(occurred_at, datetime.datetime)
        locked.occurred_at = occurred_at
        locked.actions_taken = actions
        locked.people_involved = people
        locked.outcome = result
        locked.recorded_by = actor
        fields += ["occurred_at", "actions_taken", "people_involved", "outcome", "recorded_by"]
    locked.status = row.next_state
    locked.save(update_fields=fields)
    record_event(
        actor=actor,
        action=HallOpsEvent.EVENT_RECORD
        if action == DrillAction.RECORD
        else HallOpsEvent.EVENT_CANCEL,
        obj=locked,
        center_id=locked.center_id,
        data={"kind": locked.kind, "drill": True},
    )
    return locked
