from govhall.hallops.models.emergencies import (
    PLAN_KINDS,
    EmergencyEvent,
    EmergencyKind,
    EmergencyPlan,
    EmergencyPlanSection,
    EventStatus,
    PlanStatus,
)
from govhall.hallops.models.meetings import (
    DecisionStatus,
    JointMeeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingStatus,
    Presence,
)

__all__ = [
    "PLAN_KINDS",
    "DecisionStatus",
    "EmergencyEvent",
    "EmergencyKind",
    "EmergencyPlan",
    "EmergencyPlanSection",
    "EventStatus",
    "JointMeeting",
    "MeetingAttendance",
    "MeetingDecision",
    "MeetingStatus",
    "PlanStatus",
    "Presence",
]
