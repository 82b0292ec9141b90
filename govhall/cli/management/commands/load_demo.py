"""`govhall demo [--logins]`: load the demo hall (示例县政务服务中心), or list its logins.

Loading is idempotent: when the demo county is already there, nothing changes. The demo cases
(govhall/cli/demo/cases.py) come after the hall; those already there are skipped, so a hall
loaded before the cases existed gets them on the next run.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from govhall.cli.demo.agency import load_demo_agency
from govhall.cli.demo.agency_window import load_demo_agency_window
from govhall.cli.demo.attendance import load_demo_attendance
from govhall.cli.demo.beyond_counter import load_demo_beyond_counter
from govhall.cli.demo.bundles import load_demo_bundles
from govhall.cli.demo.cases import load_demo_cases
from govhall.cli.demo.channels import load_demo_channels
from govhall.cli.demo.conduct import load_demo_conduct
from govhall.cli.demo.disclosure import load_demo_disclosure
from govhall.cli.demo.feedback import FeedbackResult, load_demo_feedback
from govhall.cli.demo.frontdesk import FrontDeskResult, load_demo_frontdesk
from govhall.cli.demo.hallops import load_demo_hallops
from govhall.cli.demo.learning import load_demo_learning
from govhall.cli.demo.licences import load_demo_licences
from govhall.cli.demo.loader import load_demo, login_rows
from govhall.cli.demo.material_files import load_demo_material_files
from govhall.cli.demo.online_accounts import (
    CITIZEN_PHONE,
    ONLINE_DEMO_PASSWORD,
    load_demo_online_accounts,
)
from govhall.cli.demo.online_cases import load_demo_online_cases
from govhall.cli.demo.online_forms import load_demo_online_forms
from govhall.cli.demo.online_my_page import load_demo_my_page
from govhall.cli.demo.people import DEMO_PASSWORD
from govhall.cli.demo.person_files import load_demo_person_files
from govhall.cli.demo.reports import load_demo_reports
from govhall.cli.demo.selection import load_demo_selection
from govhall.cli.demo.standard_list import load_demo_standard_list
from govhall.cli.demo.stats import load_demo_stats
from govhall.cli.demo.supervision import SupervisionResult, load_demo_supervision


def display_width(text: str) -> int:
    """Terminal columns of `text`: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[Sequence[str]], gap: int = 2) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        lines.append((" " * gap).join(cells).rstrip())
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo hall: a county center with departments, windows, staff on A/B posts, "
        "service items, three towns with village rooms, one login per role, and fifty cases "
        "in every state made through the case services. "
        "With --logins, print the demo logins only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins",
            action="store_true",
            help="print the table of demo logins (role, username, center) and nothing else",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self.print_logins()
            return
        started = time.perf_counter()
        result = load_demo()
        # Window staff selection (issue 21): 4 nominations at each step. Before the attendance,
        # so that its stationed newcomer signs in with the others from the first load on (loaded
        # after, a second load signed them in).
        load_demo_selection()
        # Before any step at a window: a clerk who has not signed in does not serve.
        load_demo_attendance()
        seconds = time.perf_counter() - started
        cases_started = time.perf_counter()
        cases = load_demo_cases()
        cases_seconds = time.perf_counter() - cases_started
        if cases.skipped:
            self.stderr.write(_("Demo cases not loaded: %(reason)s.") % {"reason": cases.skipped})
        load_demo_channels()  # 12345 hotline and assigned cases (issue 18 item 1)
        desk_started = time.perf_counter()
        desk = load_demo_frontdesk() if not cases.skipped else FrontDeskResult()
        desk_seconds = time.perf_counter() - desk_started
        # Citizens' voice before supervision: its scans raise the feedback alerts and the
        # month's fill counts them.
        voice_started = time.perf_counter()
        voice = load_demo_feedback() if not cases.skipped else FeedbackResult()
        voice_seconds = time.perf_counter() - voice_started
        watch_started = time.perf_counter()
        watch = load_demo_supervision() if not cases.skipped else SupervisionResult()
        load_demo_stats()  # the statistics' daily rollups (issue 18 items 1, 6)
        # Last month's period reports (通报) of the county and the towns, as the worker makes them.
        if not cases.skipped:
            load_demo_reports()
        load_demo_disclosure()  # 政务公开: phones, staff numbers, hall notices (issue 18)
        load_demo_material_files()  # blank forms and samples of materials (issue 18 item 5)
        load_demo_online_accounts()  # online hall: citizen 13900000001, enterprise + agent
        load_demo_online_forms()  # online application forms of three items (issue 19 item 2)
        load_demo_online_cases()  # 同步预审 of a joint online case; a supplement to upload online
        load_demo_licences()  # 电子证照: licensing items, licences of delivered approvals
        load_demo_agency()  # 代办: the county's agent and a village agent carry cases
        load_demo_bundles()  # 一件事: 开办餐馆 and 企业开办, the citizen's online bundle (issue 19)
        load_demo_learning()  # study sessions (3 archived, 1 planned), a course, a contest
        load_demo_agency_window()  # 代办窗口: the county's agency window, the agent at its post
        load_demo_conduct()  # the county's code of conduct, published; badges (issue 21)
        load_demo_hallops()  # joint meetings, the emergency plan, a drill and an incident
        load_demo_person_files()  # the clerk criticised twice while covering (issue 21)
        load_demo_beyond_counter()  # 延时服务, 上门服务, 跟踪服务, an appointment to reassign
        # Last: the demo citizen's messages, appointment and ticket need the account and cases.
        load_demo_my_page()  # My page of the demo citizen (issue 19 item 3)
        load_demo_standard_list()  # 城关镇 adopts 5 county items; one review pending (issue 21)
        watch_seconds = time.perf_counter() - watch_started
        if not result.loaded:
            if cases.cases:
                self.print_cases(cases.cases, cases_seconds)
            if desk.groups:
                self.print_frontdesk(desk, desk_seconds)
            if voice.ratings:
                self.print_feedback(voice, voice_seconds)
            if watch.rounds:
                self.print_supervision(watch, watch_seconds)
            if not cases.cases and not desk.groups and not voice.ratings and not watch.rounds:
                self.stdout.write(_("The demo hall is already loaded; nothing changed."))
            return
        self.stdout.write(
            _(
                "Demo hall loaded in %(seconds).1f s: %(centers)d centers, %(departments)d "
                "departments, %(windows)d windows, %(posts)d posts, %(staff)d staff, "
                "%(items)d service items."
            )
            % {
                "seconds": seconds,
                "centers": result.centers,
                "departments": result.departments,
                "windows": result.windows,
                "posts": result.posts,
                "staff": result.staff,
                "items": result.items,
            }
        )
        if result.warnings:
            self.stdout.write(
                _("Catalog warnings shown on purpose (%(count)d):")
                % {"count": len(result.warnings)}
            )
            for warning in result.warnings:
                self.stdout.write(f"  - {warning}")
        if cases.cases:
            self.print_cases(cases.cases, cases_seconds)
        if desk.groups:
            self.print_frontdesk(desk, desk_seconds)
        if voice.ratings:
            self.print_feedback(voice, voice_seconds)
        if watch.rounds:
            self.print_supervision(watch, watch_seconds)
        self.stdout.write(
            _("Demo password for every login: %(password)s") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(
            _(
                "Online hall (/account/login/): citizen %(phone)s, password %(password)s; "
                "the enterprise's agent is the same citizen."
            )
            % {"phone": CITIZEN_PHONE, "password": ONLINE_DEMO_PASSWORD}
        )

    def print_cases(self, count: int, seconds: float) -> None:
        self.stdout.write(
            _(
                "Demo cases made through the case services in %(seconds).1f s: %(count)d, "
                "in every state (see the case list and each login's inbox)."
            )
            % {"seconds": seconds, "count": count}
        )

    def print_frontdesk(self, desk: FrontDeskResult, seconds: float) -> None:
        self.stdout.write(
            _(
                "Demo front desk made through its services in %(seconds).1f s: %(groups)d queue "
                "groups, %(tickets)d tickets, %(inquiries)d first inquiries, %(appointments)d "
                "appointments."
            )
            % {
                "seconds": seconds,
                "groups": desk.groups,
                "tickets": desk.tickets,
                "inquiries": desk.inquiries,
                "appointments": desk.appointments,
            }
        )

    def print_feedback(self, voice: FeedbackResult, seconds: float) -> None:
        self.stdout.write(
            _(
                "Demo citizens' voice made through its services in %(seconds).1f s: "
                "%(ratings)d ratings (%(bad)d bad, followed up in each state; %(cases)d cases "
                "finished to be rated), %(complaints)d complaints, %(petitions)d petitions, "
                "%(orders)d 12345 work orders, %(suggestions)d suggestions, %(answers)d survey "
                "answers."
            )
            % {
                "seconds": seconds,
                "ratings": voice.ratings,
                "bad": voice.bad_ratings,
                "cases": voice.cases,
                "complaints": voice.complaints,
                "petitions": voice.petitions,
                "orders": voice.work_orders,
                "suggestions": voice.suggestions,
                "answers": voice.survey_answers,
            }
        )
        if voice.pairing_code:
            self.stdout.write(
                _(
                    "Rating screen of window 1: pair a tablet at /rating-screen/ with the code "
                    "%(code)s within %(minutes)d minutes."
                )
                % {
                    "code": voice.pairing_code,
                    "minutes": settings.GOVHALL_RATING_SCREEN_PAIRING_MINUTES,
                }
            )

    def print_supervision(self, watch: SupervisionResult, seconds: float) -> None:
        self.stdout.write(
            _(
                "Demo supervision made through its services in %(seconds).1f s: %(rounds)d "
                "patrol round with %(findings)d finding, %(alerts)d alerts from the scans, "
                "%(explained)d explained, %(sheets)d score sheets for this month."
            )
            % {
                "seconds": seconds,
                "rounds": watch.rounds,
                "findings": watch.findings,
                "alerts": watch.alerts,
                "explained": watch.explained,
                "sheets": watch.sheets,
            }
        )

    def print_logins(self) -> None:
        header = (_("Role"), _("Username"), _("Center"), _("Job title"))
        rows: list[Sequence[str]] = [header, *login_rows()]
        for line in aligned(rows):
            self.stdout.write("  " + line)
