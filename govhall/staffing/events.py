"""Every event name the staffing app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Services pass these constants to
`record_event`; the app registers the class in `StaffingConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffingEvent(models.TextChoices):
    # Leave (SPEC §8; the decisions are the actions of staffing/leave_transitions.py)
    LEAVE_REQUEST = "leave.request", _("Leave requested")
    LEAVE_ENDORSE = "leave.endorse", _("Leave endorsed by the window head")
    LEAVE_APPROVE = "leave.approve", _("Leave approved")
    LEAVE_REJECT = "leave.reject", _("Leave rejected")
    LEAVE_CANCEL = "leave.cancel", _("Leave cancelled")
    # The where-and-until sign (staffing/absence_transitions.py) and its cover records
    ABSENCE_START = "absence.start", _("Where-and-until sign put up")
    ABSENCE_APPROVE = "absence.approve", _("Absence approved with a cover")
    ABSENCE_RETURN = "absence.return", _("Back at the post")
    ABSENCE_MARK_HALF_DAY_ABSENTEEISM = (
        "absence.mark_half_day_absenteeism",
        _("Counted as half a day's absenteeism"),
    )
    DELEGATION_OPEN = "delegation.open", _("Cover record opened")
    # Empty-post alerts
    POST_VACANCY_OPEN = "post_vacancy.open", _("Empty post: nobody can serve it")
    POST_VACANCY_CLOSE = "post_vacancy.close", _("Empty post served again")
    # Attendance
    ATTENDANCE_SIGN_IN = "attendance.sign_in", _("Signed in")
    ATTENDANCE_SIGN_OUT = "attendance.sign_out", _("Signed out")
    ATTENDANCE_CLOSE_DAY = "attendance.close_day", _("Attendance day closed")
    ATTENDANCE_EXPLAIN = "attendance.explain", _("Lateness or early leave explained")
    ATTENDANCE_EXPLANATION_ACCEPT = (
        "attendance_explanation.accept",
        _("Attendance explanation accepted"),
    )
    ATTENDANCE_EXPLANATION_REJECT = (
        "attendance_explanation.reject",
        _("Attendance explanation rejected"),
    )
    # Issue 21 item 2: study sessions and trainings (staffing/services/learning.py)
    STUDY_SESSION_PLAN = "study_session.plan", _("Study session planned")
    STUDY_REGISTER_MARK = "study_register.mark", _("Study register marked")
    STUDY_NOTES_RECORD = "study_notes.record", _("Study discussion notes recorded")
    STUDY_SESSION_ARCHIVE = "study_session.archive", _("Study session archived")
    TRAINING_EVENT_RECORD = "training_event.record", _("Training recorded")
    TRAINING_PARTICIPATION_RECORD = (
        "training_participation.record",
        _("Training attendance and result recorded"),
    )
    # Rosters and window-staff rules
    DUTY_ASSIGN = "duty.assign", _("Put on duty")
    DUTY_REMOVE = "duty.remove", _("Taken off duty")
    LEADER_VISIT_RECORD = "leader_visit.record", _("Leader visit recorded")
    ASSIGNMENT_START = "assignment.start", _("Window assignment changed")
    STAFF_FACT_RECORD = "staff_fact.record", _("Staff fact recorded")
    # Issue 16: posts change under the staffing rules; a return warning acted on
    ASSIGNMENT_END = "assignment.end", _("Window assignment ended")
    POST_STAFF_CHANGE = "post_staff.change", _("A/B staff of a post changed")
    RETURN_DECIDE = "return.decide", _("Return to the department decided")
    # Issue 21 item 3: the center's code of conduct and hall-issued badges
    CONDUCT_RULE_ADD = "conduct_rule.add", _("Code of conduct line added")
    CONDUCT_RULE_EDIT = "conduct_rule.edit", _("Code of conduct line changed")
    CONDUCT_RULE_RETIRE = "conduct_rule.retire", _("Code of conduct line retired")
    CONDUCT_RULE_REORDER = "conduct_rule.reorder", _("Code of conduct lines reordered")
    CONDUCT_CODE_LOAD_DEFAULTS = "conduct_code.load_defaults", _("Standard code of conduct loaded")
    CONDUCT_CODE_PUBLISH = "conduct_code.publish", _("Code of conduct published")
    CONDUCT_CODE_ACKNOWLEDGE = "conduct_code.acknowledge", _("Code of conduct read and accepted")
    BADGE_ISSUE = "badge.issue", _("Badge issued")
    BADGE_WITHDRAW = "badge.withdraw", _("Badge withdrawn")
    # Issue 21 item 1: window staff selection (staffing/selection_transitions.py)
    SELECTION_NOMINATE = "selection.nominate", _("Nominated for window service")
    SELECTION_INTERVIEW = "selection.interview", _("Selection interview recorded")
    SELECTION_APPROVE = "selection.approve", _("Selection approved")
    SELECTION_REFUSE = "selection.refuse", _("Selection refused")
    SELECTION_WITHDRAW = "selection.withdraw", _("Nomination withdrawn")
    SELECTION_VIEW_FULL = "selection.view_full", _("Full registration form viewed")
    READINESS_RECORD = "readiness.record", _("Readiness step recorded")
    TRIAL_DECIDE = "trial.decide", _("Trial decided")


#: The event of each leave decision (`LeaveAction` value → event).
LEAVE_DECISION_EVENTS = {
    "approve": StaffingEvent.LEAVE_APPROVE,
    "endorse": StaffingEvent.LEAVE_ENDORSE,
    "reject": StaffingEvent.LEAVE_REJECT,
    "cancel": StaffingEvent.LEAVE_CANCEL,
}
