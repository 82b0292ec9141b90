"""Staff roles (SPEC: Users). Each role is a Django group of the same name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GUIDE = "guide", _("Front-desk guide")
    CLERK = "clerk", _("Window clerk")
    WINDOW_HEAD = "window_head", _("Window head / chief representative")
    REVIEWER = "reviewer", _("Back-office reviewer")
    APPROVER = "approver", _("Back-office approver")
    DIRECTOR = "director", _("Hall director / management office")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPT_LEADER = "dept_leader", _("Department leader")
    SOCIAL_SUPERVISOR = "social_supervisor", _("Social supervisor")
    ADMIN = "admin", _("System administrator")
    # 代办员 (issue 19 item 6): carries cases for applicants on their authorization letter; a
    # village agent (村代办员) is a 代办员 on the staff of a village center.
    AGENT = "agent", _("Agent (carries cases for applicants)")
    # 分管县领导 (issue 21 item 1): approves the selection of window staff (seeds/001… 调整办法 三).
    COUNTY_LEADER = "county_leader", _("County leader in charge")


# --- named role sets: each defined here once and imported where it is used --------------------
# (The access modules and the workbench menu ask `scope.roles & <SET>`; a new rule that needs a
# different set gets a new name here saying why, never a literal {Role.…} in an app.)

ALL_ROLES = frozenset(Role)
# Roles whose work is limited to their own department inside their center subtree.
DEPARTMENT_ROLES = frozenset(
    {Role.CLERK, Role.WINDOW_HEAD, Role.REVIEWER, Role.APPROVER, Role.DEPT_LEADER}
)
# Roles that manage the hall: organization, catalog, calendar, queue groups, joint meetings.
MANAGER_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
# Issue 19 item 4: who revokes an electronic licence (电子证照): the issuing department's
# leader, or the hall's management of its center.
LICENCE_REVOKER_ROLES = MANAGER_ROLES | {Role.DEPT_LEADER}
# Roles that serve at a window (A/B posts, window heads): intake, the calling console.
WINDOW_ROLES = frozenset({Role.CLERK, Role.WINDOW_HEAD})
# A department's back office: review and approval of cases.
BACK_OFFICE_ROLES = frozenset({Role.REVIEWER, Role.APPROVER})
# Roles that follow the work without acting on it: they read cases, appointments, the queue.
WATCHER_ROLES = frozenset({Role.SUPERVISOR, Role.DEPT_LEADER})
# Roles that act on cases at all (the window, the back office, management).
CASE_ACTOR_ROLES = WINDOW_ROLES | BACK_OFFICE_ROLES | MANAGER_ROLES
# Roles that read cases: the actors, and supervisors and department leaders who only read.
CASE_READER_ROLES = CASE_ACTOR_ROLES | WATCHER_ROLES
# Roles that complete their department's joint review tasks (并联审批).
JOINT_TASK_ROLES = BACK_OFFICE_ROLES | {Role.WINDOW_HEAD}
# Roles that pass or return their department's pre-review task of an online case (同步预审,
# issue 19): the department's window staff.
PREREVIEW_TASK_ROLES = WINDOW_ROLES
# 代办 (issue 19 item 6): who may be named the agent of a case, and who name, change or end an
# agency on a case besides the agent themself (the window that serves the case, management).
AGENT_ROLES = frozenset({Role.AGENT})
AGENCY_MANAGER_ROLES = WINDOW_ROLES | MANAGER_ROLES
# Roles that receive the higher level's result of a case forwarded to their center.
ESCALATION_ROLES = WINDOW_ROLES | {Role.APPROVER} | MANAGER_ROLES
# Management and supervision: the hall's records (outbox, event log, empty posts, return
# warnings, the dashboard).
RECORD_READER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR}
# Those who oversee a part of the hall: staff lists, cover records, monthly attendance, queue
# statistics, inquiry rates.
OVERSIGHT_ROLES = RECORD_READER_ROLES | {Role.WINDOW_HEAD, Role.DEPT_LEADER}
# The front desk: who books phone appointments and cancels for an applicant.
FRONT_DESK_ROLES = MANAGER_ROLES | {Role.GUIDE} | WINDOW_ROLES
# Who reads appointment lists and rates (supervisors watch the targets).
APPOINTMENT_READER_ROLES = FRONT_DESK_ROLES | WATCHER_ROLES
# Who serves the public and logs first inquiries: the guide's desk, every window, the director
# (not the system administrator, who does not meet the public).
INQUIRY_LOGGER_ROLES = frozenset({Role.GUIDE, Role.DIRECTOR}) | WINDOW_ROLES
# Whose department takes on transferred inquiries (签收) and finishes them, and management.
INQUIRY_RECEIVER_ROLES = WINDOW_ROLES | BACK_OFFICE_ROLES | {Role.DEPT_LEADER} | MANAGER_ROLES
# Who see the day's attendance board of their center: management and window heads.
ATTENDANCE_BOARD_ROLES = MANAGER_ROLES | {Role.WINDOW_HEAD}
# Who may be the leader on duty (领导带班): hall directors, department leaders, window heads.
LEADER_ON_DUTY_ROLES = frozenset({Role.DIRECTOR, Role.DEPT_LEADER, Role.WINDOW_HEAD})
# Who see "the hall now" on their home (issue 18 item 2): management for their subtree,
# department leaders for their department, window heads for the windows they head.
HALL_NOW_ROLES = MANAGER_ROLES | {Role.DEPT_LEADER, Role.WINDOW_HEAD}
# Who walk the daily patrol rounds of a center (每日巡查): hall directors and supervisors.
PATROL_ROLES = frozenset({Role.DIRECTOR, Role.SUPERVISOR})
# Who read the patrol records and the weekly summary: the patrollers, system administrators and
# department leaders (their department's part).
PATROL_READER_ROLES = PATROL_ROLES | MANAGER_ROLES | {Role.DEPT_LEADER}
# Ratings (好差评, issue 15): who read the ratings of their scope (names and phones masked in
# lists) and enter a rating taken by phone after a call-back — those who oversee the hall; never
# a clerk, who would rate their own service.
RATING_OFFICE_ROLES = OVERSIGHT_ROLES
# Who handle petitions (信访) of their center: register them, answer, accept, assign, close and
# record reviews — the management office (hall directors, administrators) and the supervisors,
# who take in accusations (检举控告). An accuser's identity is still shown only to management
# and the petition's own handler (govhall/feedback/access/petitions.py).
PETITION_HANDLER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR}
# Who may be scheduled for a leader reception day (领导接访日): hall directors and department
# leaders of the center.
RECEPTION_LEADER_ROLES = frozenset({Role.DIRECTOR, Role.DEPT_LEADER})
# Suggestion box, social supervisors and satisfaction surveys (issue 15 items 5–6): the hall's
# management replies to entries, appoints social supervisors, answers their records and runs the
# surveys; supervisors read all of it with them.
VOICE_MANAGER_ROLES = MANAGER_ROLES
VOICE_READER_ROLES = RECORD_READER_ROLES
# 12345 hotline work orders (issue 15 item 4): who sign, send back, extend and reply to the
# orders routed to their own department — its window heads, back office and leader (not the
# clerks at the counter); hall management (MANAGER_ROLES) handles every order of its centers.
WORK_ORDER_DEPARTMENT_ROLES = frozenset(
    {Role.WINDOW_HEAD, Role.REVIEWER, Role.APPROVER, Role.DEPT_LEADER}
)
# Who handle complaints (投诉) of their center: register, assign (交办单), answer with a finding,
# tell the complainant and close — management and the supervisors (the hall's 督查 office takes
# complaints). They, and the complaint's own handler, see who complained; a department that
# receives a 交办单 sees the matter only (govhall/feedback/access/complaints.py).
COMPLAINT_HANDLER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR}
# Who add, pair and revoke the rating screens (评价器) of windows: hall management for every
# window of their centers, a window head for the window they head
# (govhall/feedback/access/rating_screens.py).
RATING_SCREEN_ROLES = MANAGER_ROLES | {Role.WINDOW_HEAD}
# Who follow up their department's bad ratings (差评: call-back, rectification, telling the
# citizen, appealing): its window heads and leaders; management decides the appeals
# (govhall/feedback/rating_transitions.py).
RATING_FOLLOW_UP_ROLES = frozenset({Role.WINDOW_HEAD, Role.DEPT_LEADER})
# Service beyond the counter (issue 21 item 6; seeds/002… 三(一)3, seeds/000… 篇1 六(四)): the
# front desk and the windows book home visits and log follow-up calls; a department's leader (for
# the department) or hall management names who goes and reassigns an off-hours appointment whose
# named staff member cannot serve; overtime (延时服务) is read by management, supervisors and the
# leaders and window heads of their part (OVERSIGHT_ROLES).
OUTREACH_DESK_ROLES = FRONT_DESK_ROLES | {Role.DEPT_LEADER}
OUTREACH_ASSIGNER_ROLES = MANAGER_ROLES | {Role.DEPT_LEADER}
OVERTIME_READER_ROLES = OVERSIGHT_ROLES
# Joint meetings of the stationed departments and the emergency plan (issue 21 item 4,
# seeds/000… 篇3 四, seeds/002… 六6): hall management (MANAGER_ROLES) runs them for its centers;
# department leaders and supervisors read them, and a department leader marks their own
# department's decisions done (govhall/hallops/access/).
HALL_OPS_READER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR, Role.DEPT_LEADER}
MEETING_DECISION_OWNER_ROLES = frozenset({Role.DEPT_LEADER})
# The person's assessment file, the annual results and the reports to departments (issue 21
# item 1b): hall management and supervisors of the center subtree, a department leader for their
# own department's people (the person themself reads their own file).
PERSON_FILE_READER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR, Role.DEPT_LEADER}
# Window staff selection (issue 21 item 1; seeds/002… 二2): a department's leader nominates, the
# center's hall director interviews and records readiness and trials, the county leader in charge
# approves; they (and system administrators) read the selections of their scope.
SELECTION_NOMINATOR_ROLES = frozenset({Role.DEPT_LEADER})
SELECTION_INTERVIEWER_ROLES = frozenset({Role.DIRECTOR})
SELECTION_APPROVER_ROLES = frozenset({Role.COUNTY_LEADER})
SELECTION_READER_ROLES = (
    SELECTION_NOMINATOR_ROLES
    | SELECTION_INTERVIEWER_ROLES
    | SELECTION_APPROVER_ROLES
    | frozenset({Role.ADMIN})
)


def roles_of(user: object) -> frozenset[Role]:
    """The roles of a user, cached on the user object for the request."""
    cached = getattr(user, "_govhall_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        roles: frozenset[Role] = frozenset()
    else:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        roles = frozenset(Role(name) for name in names if name in Role.values)
    user._govhall_roles = roles  # type: ignore[attr-defined]
    return roles


def has_role(user: object, *wanted: Role) -> bool:
    return bool(roles_of(user) & set(wanted))


def is_system_admin(user: object) -> bool:
    """A system administrator: an active Django superuser or an active holder of the admin
    role. Only they change administrators and the national holiday schedule (issue 12)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_of(user)
