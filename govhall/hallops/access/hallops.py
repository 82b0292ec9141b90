"""Who reads and runs joint meetings and the emergency plan and log (issue 21 item 4).

Hall management (MANAGER_ROLES: directors, administrators) runs the meetings, the plan and the
log of the centers of their subtree (`can_run_center`). Department leaders and supervisors read
them (HALL_OPS_READER_ROLES); a department leader also marks their own department's decisions
done (the "owner" party of `DECISION_TRANSITIONS`). Anyone else, and anything outside the
user's subtree: Http404, missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import HALL_OPS_READER_ROLES, MEETING_DECISION_OWNER_ROLES
from govhall.hallops.models import EmergencyEvent, EmergencyPlan, JointMeeting, MeetingDecision
from govhall.hallops.transitions import Party
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center


def can_read_hallops(user: object) -> bool:
    """Reads the meetings, decisions, plan and log of their subtree."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & HALL_OPS_READER_ROLES)


def can_run_hallops(user: object) -> bool:
    """Runs meetings, the plan and the log: hall management with a workplace."""
    scope = scope_of(user)
    return not scope.nothing and scope.can_manage


def can_run_center(user: object | None, center_id: object) -> bool:
    """Runs the meetings, plan and log of this center (a center of their own subtree)."""
    if user is None:
        return True
    return can_run_hallops(user) and manages_center(user, center_id)


def meetings_in_scope(user: object) -> QuerySet[JointMeeting]:
    if not can_read_hallops(user):
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(center__in=centers_in_scope(user))


def decisions_in_scope(user: object) -> QuerySet[MeetingDecision]:
    if not can_read_hallops(user):
        return MeetingDecision.objects.none()
    return MeetingDecision.objects.filter(meeting__center__in=centers_in_scope(user))


def plans_in_scope(user: object) -> QuerySet[EmergencyPlan]:
    if not can_read_hallops(user):
        return EmergencyPlan.objects.none()
    return EmergencyPlan.objects.filter(center__in=centers_in_scope(user))


def events_in_scope(user: object) -> QuerySet[EmergencyEvent]:
    if not can_read_hallops(user):
        return EmergencyEvent.objects.none()
    return EmergencyEvent.objects.filter(center__in=centers_in_scope(user))


def decision_parties(user: object | None, decision: MeetingDecision) -> frozenset[str]:
    """The parties of `DECISION_TRANSITIONS` the user is to this decision."""
    if user is None:
        return frozenset({Party.MANAGER.value})
    parties: set[str] = set()
    if can_run_center(user, decision.meeting.center_id):
        parties.add(Party.MANAGER.value)
    scope = scope_of(user)
    if (
        scope.roles & MEETING_DECISION_OWNER_ROLES
        and scope.department_id is not None
        and scope.department_id == decision.department_id
        and centers_in_scope(user).filter(pk=decision.meeting.center_id).exists()
    ):
        parties.add(Party.OWNER.value)
    return frozenset(parties)


def center_parties(user: object | None, center_id: int) -> frozenset[str]:
    """The parties of the meeting and drill tables the user is to a center's records."""
    return frozenset({Party.MANAGER.value}) if can_run_center(user, center_id) else frozenset()


def _found(qs: QuerySet[Any], object_id: object) -> Any:
    found = qs.filter(pk=id_or_404(object_id)).first()
    if found is None:
        raise Http404
    return found


def access_meeting(user: object, meeting_id: object, *, for_write: bool = False) -> JointMeeting:
    """A meeting the user may read; with `for_write`, one of a center they run."""
    meeting: JointMeeting = _found(
        meetings_in_scope(user).select_related("center", "chair", "recorded_by"), meeting_id
    )
    if for_write and not can_run_center(user, meeting.center_id):
        raise Http404
    return meeting


def access_decision(
    user: object, decision_id: object, *, for_write: bool = False
) -> MeetingDecision:
    """A decision the user may read; with `for_write`, one they may act on (manager or owner)."""
    decision: MeetingDecision = _found(
        decisions_in_scope(user).select_related("meeting", "meeting__center", "department"),
        decision_id,
    )
    if for_write and not decision_parties(user, decision):
        raise Http404
    return decision


def access_plan(user: object, plan_id: object, *, for_write: bool = False) -> EmergencyPlan:
    plan: EmergencyPlan = _found(plans_in_scope(user).select_related("center"), plan_id)
    if for_write and not can_run_center(user, plan.center_id):
        raise Http404
    return plan


def access_emergency_event(
    user: object, event_id: object, *, for_write: bool = False
) -> EmergencyEvent:
    event: EmergencyEvent = _found(events_in_scope(user).select_related("center"), event_id)
    if for_write and not can_run_center(user, event.center_id):
        raise Http404
    return event
