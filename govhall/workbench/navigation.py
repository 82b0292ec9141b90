"""The workbench menu: which entries each user sees.

Each entry asks the same `can_*` question as the page behind it, imported from the owning
domain's access module, so an entry is shown exactly to those whose page answers 200
(workbench/tests/test_menu_access.py). The menu never reads roles itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.assessment.access.person_file import can_read_person_files
from govhall.assessment.access.sheets import (
    can_manage_assessment,
    can_read_assessment,
    can_see_own_sheets,
)
from govhall.cases.access.cases import (
    can_carry_cases,
    can_read_cases,
    can_read_outbox,
    can_take_window_actions,
)
from govhall.cases.access.licences import can_read_licences
from govhall.catalog.access.scope import can_manage_catalog
from govhall.core.access import can_read_event_log
from govhall.feedback.access.complaints import (
    can_read_assigned_complaints,
    can_register_complaints,
    is_complaint_handler,
)
from govhall.feedback.access.petitions import (
    can_handle_petitions,
    can_read_petitions,
    can_read_receptions,
)
from govhall.feedback.access.rating_follow_up import can_read_bad_ratings
from govhall.feedback.access.rating_screens import can_manage_rating_screens
from govhall.feedback.access.ratings import can_enter_ratings, can_read_ratings
from govhall.feedback.access.suggestions import can_read_suggestions
from govhall.feedback.access.supervisors import (
    can_read_supervisor_records,
    can_record_as_supervisor,
)
from govhall.feedback.access.surveys import can_read_surveys
from govhall.feedback.access.work_orders import (
    can_enter_work_orders,
    can_read_webhook_deliveries,
    can_read_work_orders,
)
from govhall.frontdesk.access.appointments import can_read_appointments
from govhall.frontdesk.access.inquiries import (
    can_log_inquiries,
    can_read_inquiry_rates,
    can_read_phone_book,
    can_receive_inquiries,
    can_view_inquiries,
)
from govhall.frontdesk.access.notices import can_manage_notices
from govhall.frontdesk.access.outreach import can_read_overtime, can_use_outreach
from govhall.frontdesk.access.tickets import (
    can_act_on_tickets,
    can_manage_groups,
    can_read_queue_stats,
    can_use_console,
)
from govhall.hallops.access.hallops import can_read_hallops
from govhall.org.access.scope import can_read_staff, can_use_workbench
from govhall.staffing.access.assignments import can_see_return_warnings
from govhall.staffing.access.attendance import can_decide_attendance_explanations
from govhall.staffing.access.conduct import can_read_badges, can_read_conduct
from govhall.staffing.access.cover import can_see_vacancies
from govhall.staffing.access.learning import can_run_learning, can_see_own_learning
from govhall.staffing.access.selection import can_read_selections
from govhall.stats.access.reports import can_read_stats_reports
from govhall.stats.access.stats import can_view_stats
from govhall.supervision.access.alerts import can_read_alert_inbox
from govhall.supervision.access.board import can_read_criticism_notices, can_view_board
from govhall.supervision.access.patrols import can_read_patrols
from govhall.supervision.access.rules import can_view_alerts
from govhall.supervision.access.timeout_defaults import can_read_timeout_defaults


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    # The page's own question: the entry is shown when it answers True for the user.
    allowed: Callable[[object], bool]
    # The first entry of each group of the menu names the group's heading; the user sees it
    # over the first entry of the group they may open (`nav_entries`).
    section: str | Promise = ""


# The heading of the setup pages; the menu draws them folded under it (`nav_entries`).
SETUP = _("Setup")

NAV: tuple[NavEntry, ...] = (
    NavEntry("workbench:home", _("Home"), can_use_workbench),
    # "My inbox" carries the heading: every reader of cases sees it.
    NavEntry("workbench:case_inbox", _("My inbox"), can_read_cases, section=_("Cases")),
    NavEntry("workbench:case_intake", _("Case intake"), can_take_window_actions),
    NavEntry("workbench:cases", _("All cases"), can_read_cases),
    NavEntry("workbench:agency_cases", _("Cases I carry"), can_carry_cases),
    NavEntry("workbench:licences", _("Electronic licences"), can_read_licences),
    NavEntry("workbench:outbox", _("Outbox"), can_read_outbox),
    # Front desk: inquiries (the first entry carries the section heading).
    NavEntry(
        "workbench:inquiries", _("First inquiries"), can_view_inquiries, section=_("Front desk")
    ),
    NavEntry("workbench:inquiry_log", _("Log an inquiry"), can_log_inquiries),
    NavEntry("workbench:inquiry_follow_ups", _("My follow-ups"), can_log_inquiries),
    NavEntry("workbench:inquiry_transfers", _("Transfers to my department"), can_receive_inquiries),
    NavEntry("workbench:inquiry_phone_book", _("Phone record book"), can_read_phone_book),
    NavEntry("workbench:inquiry_rates", _("Inquiry rates"), can_read_inquiry_rates),
    # Front desk: queue
    NavEntry("workbench:queue_console", _("Calling console"), can_use_console),
    NavEntry("workbench:queue_line", _("Today's line"), can_act_on_tickets),
    NavEntry("workbench:queue_stats", _("Queue statistics"), can_read_queue_stats),
    # Front desk: appointments
    NavEntry("workbench:appointments", _("Appointments"), can_read_appointments),
    NavEntry("workbench:appointment_requests", _("Off-hours requests"), can_read_appointments),
    # Front desk: service beyond the counter (issue 21 item 6)
    NavEntry("workbench:home_visits", _("Home visits"), can_use_outreach),
    NavEntry("workbench:key_projects", _("Key project follow-up"), can_use_outreach),
    NavEntry("workbench:overtime_list", _("Extended service (overtime)"), can_read_overtime),
    NavEntry("workbench:on_duty", _("On duty now"), can_use_workbench, section=_("Staff on duty")),
    NavEntry("workbench:my_absence", _("Where-and-until sign"), can_use_workbench),
    NavEntry("workbench:attendance", _("My attendance"), can_use_workbench),
    NavEntry("workbench:leaves", _("Leave"), can_use_workbench),
    NavEntry("workbench:leave_calendar", _("Team leave calendar"), can_use_workbench),
    NavEntry("workbench:attendance_month", _("Monthly attendance"), can_read_staff),
    NavEntry(
        "workbench:attendance_explanations",
        _("Attendance explanations"),
        can_decide_attendance_explanations,
    ),
    NavEntry("workbench:vacancies", _("Empty posts"), can_see_vacancies),
    NavEntry("workbench:delegations", _("Cover records"), can_use_workbench),
    NavEntry("workbench:rosters", _("Duty roster"), can_use_workbench),
    NavEntry("workbench:leader_visits", _("Leader visits"), can_use_workbench),
    # Study and training (issue 21 item 2): the center's sessions and trainings, one's own record.
    NavEntry("workbench:study_sessions", _("Study sessions"), can_run_learning),
    NavEntry("workbench:trainings", _("Trainings"), can_run_learning),
    NavEntry("workbench:my_learning", _("My study and training"), can_see_own_learning),
    NavEntry("workbench:assignments", _("Window assignments"), can_read_staff),
    NavEntry("workbench:return_warnings", _("Return warnings"), can_see_return_warnings),
    NavEntry("workbench:selections", _("Window staff selection"), can_read_selections),
    NavEntry("workbench:conduct_code", _("Code of conduct"), can_read_conduct),
    NavEntry("workbench:badges", _("Badges"), can_read_badges),
    # Supervision (issue 14 items 2 and 5): "Alert inbox" carries the heading (everyone in the
    # hall has one), then the live board, the criticism notices and the rules.
    NavEntry("workbench:alerts", _("Alert inbox"), can_read_alert_inbox, section=_("Supervision")),
    NavEntry("workbench:board", _("Supervision board"), can_view_board),
    NavEntry("workbench:criticism_notices", _("Criticism notices"), can_read_criticism_notices),
    NavEntry(
        "workbench:timeout_defaults", _("Passed by timeout default"), can_read_timeout_defaults
    ),
    # Patrols (issue 14 item 6): the rounds (walking one on a phone) and the weekly summary.
    NavEntry("workbench:patrols", _("Patrols"), can_read_patrols),
    NavEntry("workbench:patrol_summary", _("Weekly patrol summary"), can_read_patrols),
    # Joint meetings and emergencies (issue 21 item 4): the meetings of the stationed
    # departments, their open decisions, the emergency plan and the log of incidents and drills.
    NavEntry("workbench:hallops_meetings", _("Joint meetings"), can_read_hallops),
    NavEntry("workbench:hallops_decisions", _("Open meeting decisions"), can_read_hallops),
    NavEntry("workbench:hallops_plan", _("Emergency plan"), can_read_hallops),
    NavEntry("workbench:hallops_emergencies", _("Incidents and drills"), can_read_hallops),
    # Assessment (考核): the month of a center, one's own sheets, the evaluation weights.
    NavEntry(
        "workbench:assessment_mine",
        _("My score sheets"),
        can_see_own_sheets,
        section=_("Assessment"),
    ),
    NavEntry("workbench:assessment", _("Monthly assessment"), can_read_assessment),
    NavEntry("workbench:assessment_feedback", _("Quarterly feedback"), can_read_assessment),
    # Assessment files (issue 21 item 1b): the year's results, the reports to departments, the
    # temporary covers to replace.
    NavEntry("workbench:my_person_file", _("My assessment file"), can_see_own_sheets),
    NavEntry("workbench:assessment_annual", _("Annual assessment"), can_read_person_files),
    NavEntry(
        "workbench:assessment_department_reports",
        _("Reports to departments"),
        can_read_person_files,
    ),
    NavEntry(
        "workbench:assessment_flagged_covers",
        _("Temporary covers to replace"),
        can_read_person_files,
    ),
    # Citizens' voice (群众评议, issue 15): ratings, complaints, petitions, 12345, suggestions.
    # Ratings (好差评): every rating of the scope, and entering one taken by phone.
    NavEntry("workbench:ratings", _("Ratings"), can_read_ratings, section=_("Citizens' voice")),
    NavEntry("workbench:rating_enter", _("Enter a phone rating"), can_enter_ratings),
    # Bad ratings (差评): the follow-up inbox and the month's targets.
    NavEntry("workbench:bad_ratings", _("Bad ratings"), can_read_bad_ratings),
    NavEntry("workbench:bad_rating_targets", _("Bad-rating targets"), can_read_bad_ratings),
    # Petitions (信访): the register, the list, the leader reception days.
    NavEntry("workbench:petitions", _("Petitions"), can_read_petitions),
    NavEntry("workbench:petition_register", _("Register a petition"), can_handle_petitions),
    NavEntry("workbench:petition_receptions", _("Leader reception days"), can_read_receptions),
    # Complaints (投诉): the register, registering one, a department's 交办单.
    NavEntry("workbench:complaints", _("Complaints"), is_complaint_handler),
    NavEntry("workbench:complaint_new", _("Register a complaint"), can_register_complaints),
    NavEntry(
        "workbench:complaints_assigned",
        _("Complaints assigned to us"),
        can_read_assigned_complaints,
    ),
    # Suggestion box, social supervisors and satisfaction surveys (issue 15 items 5–6).
    NavEntry("workbench:suggestions", _("Suggestion box"), can_read_suggestions),
    NavEntry("workbench:suggestion_month", _("Suggestion box month"), can_read_suggestions),
    NavEntry(
        "workbench:supervisor_appointments", _("Social supervisors"), can_read_supervisor_records
    ),
    NavEntry(
        "workbench:supervisor_records", _("Supervisors' records"), can_read_supervisor_records
    ),
    NavEntry("workbench:my_supervision", _("My supervision"), can_record_as_supervisor),
    NavEntry("workbench:surveys", _("Satisfaction surveys"), can_read_surveys),
    # 12345 hotline work orders: the list, typing one in, the webhook deliveries to the hotline.
    NavEntry("workbench:work_orders", _("12345 work orders"), can_read_work_orders),
    NavEntry("workbench:work_order_new", _("Type in a 12345 order"), can_enter_work_orders),
    # Case figures (issue 18 item 1) and the period reports (通报, item 4).
    NavEntry("workbench:stats_figures", _("Case figures"), can_view_stats, section=_("Statistics")),
    NavEntry("workbench:stats_reports", _("Period reports"), can_read_stats_reports),
    NavEntry("workbench:events", _("Event log"), can_read_event_log, section=_("Records")),
    # Setup (issue 17 item 7): what is set up once and seldom changed, behind one collapsed
    # entry at the end of the menu so the daily pages come first.
    NavEntry("workbench:centers", _("Centers"), can_use_workbench, section=SETUP),
    NavEntry("workbench:departments", _("Departments"), can_use_workbench),
    NavEntry("workbench:windows", _("Windows and posts"), can_use_workbench),
    NavEntry("workbench:staff", _("Staff"), can_read_staff),
    NavEntry("workbench:items", _("Service items"), can_use_workbench),
    NavEntry("workbench:catalog_import", _("Catalog import and export"), can_manage_catalog),
    NavEntry("workbench:bundles", _("One-thing bundles"), can_manage_catalog),
    NavEntry("workbench:standard_list", _("Standard item list"), can_manage_catalog),
    NavEntry("workbench:calendar", _("Working-day calendar"), can_use_workbench),
    NavEntry("workbench:queue_groups", _("Queue groups"), can_manage_groups),
    NavEntry("workbench:notices", _("Hall notices"), can_manage_notices),
    NavEntry("workbench:rating_screens", _("Rating screens"), can_manage_rating_screens),
    NavEntry("workbench:alert_rules", _("Supervision rules"), can_view_alerts),
    NavEntry("workbench:assessment_weights", _("Evaluation weights"), can_manage_assessment),
    NavEntry(
        "workbench:webhook_deliveries",
        _("Hotline webhook deliveries"),
        can_read_webhook_deliveries,
    ),
)


def nav_entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    entries: list[dict[str, Any]] = []
    # The heading of the group being walked, until a visible entry of the group shows it.
    pending_section: str | Promise = ""
    in_setup = False
    for entry in NAV:
        if entry.section:
            pending_section = entry.section
            in_setup = entry.section is SETUP
        if not entry.allowed(user):
            continue
        url = reverse(entry.url_name)
        entries.append(
            {
                "url": url,
                "label": entry.label,
                "active": False,
                "section": pending_section,
                "setup": in_setup,
            }
        )
        pending_section = ""
    # The current page is the entry with the longest URL the path starts with, so /staff/leave/
    # and /staff/leave/calendar/ are told apart and the home page (/staff/) only matches itself.
    matching = [e for e in entries if request.path.startswith(e["url"])]
    if matching:
        best = max(matching, key=lambda e: len(e["url"]))
        if best["url"] != reverse("workbench:home") or request.path == best["url"]:
            best["active"] = True
    if getattr(user, "is_staff", False):
        entries.append(
            {
                "url": reverse("admin:index"),
                "label": _("Administration"),
                "active": False,
                "section": "",
                "setup": True,
            }
        )
    # The setup group is drawn folded, open when the current page is one of its entries.
    setup = [e for e in entries if e["setup"]]
    if setup:
        setup[0]["opens_setup"] = True
        setup[0]["setup_open"] = any(e["active"] for e in setup)
    return entries
