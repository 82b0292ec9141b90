"""Staff on duty (SPEC §8): one module per topic, all in the staffing app."""

from govhall.staffing.models.assignment import Assignment, StaffFact
from govhall.staffing.models.attendance import Attendance, AttendanceExplanation, HallNetwork
from govhall.staffing.models.leave import Leave
from govhall.staffing.models.presence import Absence, Delegation, PostVacancy
from govhall.staffing.models.roster import DutyAssignment, LeaderVisit

__all__ = [
    "Absence",
    "Assignment",
    "Attendance",
    "AttendanceExplanation",
    "Delegation",
    "DutyAssignment",
    "HallNetwork",
    "LeaderVisit",
    "Leave",
    "PostVacancy",
    "StaffFact",
]
