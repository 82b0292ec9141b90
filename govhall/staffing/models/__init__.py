"""Staff on duty (SPEC §8): one module per topic, all in the staffing app."""

from govhall.staffing.models.assignment import Assignment, StaffFact
from govhall.staffing.models.attendance import Attendance, AttendanceExplanation, HallNetwork
from govhall.staffing.models.conduct import (
    Badge,
    ConductAcknowledgement,
    ConductCode,
    ConductRule,
)
from govhall.staffing.models.learning import (
    StudyAttendance,
    StudySession,
    TrainingEvent,
    TrainingParticipation,
)
from govhall.staffing.models.leave import Leave
from govhall.staffing.models.presence import Absence, Delegation, PostVacancy
from govhall.staffing.models.roster import DutyAssignment, LeaderVisit
from govhall.staffing.models.selection import ReadinessRecord, StaffSelection, TrialDecision

__all__ = [
    "Absence",
    "Assignment",
    "Attendance",
    "AttendanceExplanation",
    "Badge",
    "ConductAcknowledgement",
    "ConductCode",
    "ConductRule",
    "Delegation",
    "DutyAssignment",
    "HallNetwork",
    "LeaderVisit",
    "Leave",
    "PostVacancy",
    "ReadinessRecord",
    "StaffFact",
    "StaffSelection",
    "StudyAttendance",
    "StudySession",
    "TrainingEvent",
    "TrainingParticipation",
    "TrialDecision",
]
