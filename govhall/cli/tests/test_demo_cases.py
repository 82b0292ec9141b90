"""`govhall demo` also makes the demo cases: through the services, in every state, once, with
deadlines that are exactly what the clock computes."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from govhall.cases import clock
from govhall.cases.models import Case, CaseFee, JointMeeting, JointTask, Notice
from govhall.cases.queries.cases import inbox
from govhall.cases.queries.joint import overdue_joint_tasks
from govhall.cases.services.clock import clock_start_for
from govhall.cases.statuses import CaseKind, CaseStatus, NoticeKind, TaskStatus
from govhall.catalog.models import ItemWindow
from govhall.cli.demo.cases import CASES, KEY_PREFIX, load_demo_cases
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import ApiToken, Event, User
from govhall.core.roles import Role, roles_of
from govhall.org.models import Center, Staff
from govhall.testing.demo_hall import DemoHall
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def county(demo_hall: DemoHall, django_db_blocker: Any) -> Center:
    """The demo with its cases, loaded once per run for every demo test module
    (govhall/testing/demo_hall.py) and rolled back after the last of them."""
    assert f"{len(CASES)}" in demo_hall.output
    with django_db_blocker.unblock():
        return Center.objects.get(code=COUNTY_CODE)


def demo_cases() -> Any:
    return Case.objects.filter(idempotency_key__startswith=KEY_PREFIX)


def case(key: str) -> Case:
    return Case.objects.select_related("center", "item", "applicant").get(
        idempotency_key=KEY_PREFIX + key
    )


def last_workday(center: Center) -> datetime.date:
    """Today, or the last working day before it (the demo's "day 0")."""
    calendar = calendar_for(center.pk)
    today = timezone.localdate()
    return today if calendar.is_workday(today) else calendar.subtract_workdays(today, 1)


def test_every_state_of_the_machine_is_there(county: Center) -> None:
    cases = demo_cases()
    assert 40 <= cases.count() == len(CASES)
    statuses = set(cases.values_list("status", flat=True))
    assert statuses == {
        CaseStatus.SUBMITTED,
        CaseStatus.PREREVIEW_RETURNED,
        CaseStatus.AWAITING_SUPPLEMENT,
        CaseStatus.NOT_ACCEPTED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_REVIEW,
        CaseStatus.AWAITING_APPROVAL,
        CaseStatus.JOINT_REVIEW,
        CaseStatus.ESCALATED,
        CaseStatus.SUSPENDED,
        CaseStatus.APPROVED,
        CaseStatus.DENIED,
        CaseStatus.CERTIFICATE_READY,
        CaseStatus.DELIVERED,
        CaseStatus.ESCALATION_CLOSED,
        CaseStatus.WITHDRAWN,
        CaseStatus.VOIDED,
    }
    assert set(cases.exclude(kind="").values_list("kind", flat=True)) == set(CaseKind.values)
    # Most cases are in the county; the towns have their own, two forwarded to the county.
    assert cases.filter(center=county).count() >= 35
    assert cases.exclude(center=county).count() >= 4
    assert cases.filter(channel="online").count() >= 4
    assert cases.filter(green_channel=True, materials__pending=True).exists()
    assert cases.filter(archived_at__isnull=False).count() == 1
    assert cases.filter(delivery_method="express").exclude(tracking_number="").exists()
    assert cases.filter(delivery_method="pickup").count() >= 3


def test_every_case_went_through_the_services(county: Center) -> None:
    for row in demo_cases():
        events = Event.objects.for_object(row).order_by("at", "id")
        first = events.first()
        assert first is not None
        assert first.action in {"case.receive", "case.submit"}, row.number
        # The event log and the case agree on when it happened: in the past, at the receipt.
        assert first.at == row.received_at
        assert row.received_at < timezone.now()
        # The latest transition recorded is the case's status: nothing was written around them.
        moves = [event.data for event in events if "to" in event.data]
        assert moves[-1]["to"] == row.status, row.idempotency_key
        assert row.number.startswith(
            row.center.code + timezone.localdate(row.received_at).strftime("%Y%m%d")
        )


def test_due_dates_are_what_the_clock_computes(county: Center) -> None:
    accepted = demo_cases().filter(accepted_at__isnull=False).select_related("center")
    assert accepted.count() >= 30
    for row in accepted:
        calendar = calendar_for(row.center_id)
        start = clock_start_for(row, timezone.localdate(row.accepted_at), calendar)
        assert row.clock_started_on == start, row.idempotency_key
        extra = {"extension_days": row.extension_days, "suspended_days": row.suspended_days}
        assert row.legal_due_on == clock.due_on(calendar, start, row.legal_days, **extra)
        promised = 0 if row.kind == CaseKind.IMMEDIATE else row.promised_days
        assert row.promised_due_on == clock.due_on(calendar, start, promised, **extra)

    # A supplement case starts its clock on the day the materials were complete...
    completed = case("supplement-then-accepted")
    assert completed.clock_started_on == timezone.localdate(completed.accepted_at)
    assert completed.clock_started_on > timezone.localdate(completed.received_at)
    # ... unless the one-time notice came too late (行政许可法 §32): then from the receipt.
    late = case("late-notice")
    assert late.clock_started_on == timezone.localdate(late.received_at)
    # Suspended 4 working days and resumed: both deadlines moved by exactly those days.
    resumed = case("resumed")
    calendar = calendar_for(resumed.center_id)
    assert resumed.suspended_days == 4
    assert resumed.promised_due_on == calendar.add_workdays(resumed.clock_started_on, 5 + 4)
    extended = case("extended")
    assert extended.extension_days == 5
    assert extended.notices.filter(kind=NoticeKind.EXTENSION).exists()


def test_the_lists_show_every_colour_of_urgency(county: Center) -> None:
    day = last_workday(county)
    running = demo_cases().filter(
        center=county,
        status__in=[
            CaseStatus.ACCEPTED,
            CaseStatus.IN_REVIEW,
            CaseStatus.AWAITING_APPROVAL,
            CaseStatus.JOINT_REVIEW,
            CaseStatus.SUSPENDED,
        ],
    )
    colours = {clock.urgency(row, day) for row in running}
    assert {"overdue", "due_today", "near", "ok", "suspended"} <= colours


def test_joint_escalated_fees_and_notices(county: Center) -> None:
    day = last_workday(county)
    # Exactly one joint review task is overdue, and the director recorded a meeting about it.
    overdue = list(overdue_joint_tasks([county.pk], day))
    assert len(overdue) == 1
    assert overdue[0].department.code == "GA"
    assert overdue[0].case == case("joint-overdue-task")
    assert JointMeeting.objects.filter(case=overdue[0].case).count() == 1
    assert (
        JointTask.objects.filter(case=case("joint-delivered"), status=TaskStatus.OPEN).count() == 0
    )

    # Town cases forwarded to the county: one still there, one closed with the county's result.
    forwarded = case("town-escalated")
    assert forwarded.status == CaseStatus.ESCALATED
    assert forwarded.escalated_to == county
    assert forwarded.forward_by is not None
    closed = case("town-escalation-closed")
    assert closed.status == CaseStatus.ESCALATION_CLOSED
    assert closed.escalation_result

    # Fees are recorded, none above the approved standard.
    fees = CaseFee.objects.filter(case__in=demo_cases()).select_related("fee_item")
    assert fees.count() >= 4
    assert all(fee.amount <= fee.fee_item.standard_amount * fee.quantity for fee in fees)

    # Notices: one-time, not accepted, joint, extension, decision; several signed for.
    kinds = set(Notice.objects.filter(case__in=demo_cases()).values_list("kind", flat=True))
    assert {
        NoticeKind.ACCEPTANCE,
        NoticeKind.ONE_TIME,
        NoticeKind.NOT_ACCEPTED,
        NoticeKind.PREREVIEW_RETURN,
        NoticeKind.JOINT,
        NoticeKind.ESCALATED,
        NoticeKind.EXTENSION,
        NoticeKind.DECISION,
    } <= kinds
    confirmed = Notice.objects.filter(case__in=demo_cases(), confirmed_at__isnull=False)
    assert confirmed.count() >= 6
    # The transfer kept the first responder on record.
    moved = case("transferred")
    assert moved.received_window is not None and moved.window is not None
    assert (moved.received_window.number, moved.window.number) == (2, 1)


def test_each_login_finds_work_in_the_inbox(county: Center) -> None:
    day = last_workday(county)

    def section(username: str, key: str) -> int:
        user = User.objects.get(username=username)
        sections = {s.key: s for s in inbox(user, day)}
        return sections[key].total

    assert section("clerk", "window") >= 5
    assert section("head", "window") >= 15  # heads windows 1–3
    assert section("w03-1a", "window") >= 8
    assert section("approver", "back_office") >= 4
    # 后台审核 at 市场监管 (issue 17 item 13): the demo reviewer has a forwarded case to review,
    # and the approver one the reviewer reviewed.
    assert section("reviewer", "back_office") >= 1
    assert case("device-in-review").status == CaseStatus.IN_REVIEW
    assert case("device-awaiting-approval").status == CaseStatus.AWAITING_APPROVAL
    assert case("device-approved").status == CaseStatus.APPROVED
    # Issue 17 item 2: a condition that does not apply and a reused material, as recorded.
    assert case("device-in-review").materials.get(name__startswith="授权委托书").not_applicable
    reused = case("device-holder-food").materials.get(name="营业执照")
    assert reused.received and reused.reused_from == case("device-approved")
    assert case("device-holder-food").status == CaseStatus.ACCEPTED
    assert section("zrgh-reviewer", "back_office") == 1
    assert section("zrgh-approver", "back_office") == 1
    assert section("bdc-approver", "back_office") == 2  # one awaiting approval, one joint done
    assert section("director", "overdue_joint") == 1
    assert section("director", "escalated") == 2
    assert section("director", "overdue") >= 4


def test_the_api_service_account_is_ready_for_a_token(county: Center) -> None:
    system = User.objects.get(username="dept-system")
    assert not system.has_usable_password()
    assert roles_of(system) == {Role.APPROVER}
    department = Staff.objects.get(user=system).department
    assert department is not None and department.code == "SCJG"
    out, err = StringIO(), StringIO()
    call_command(
        "api_token", "create", "--user", "dept-system", "--name", "审批系统", stdout=out, stderr=err
    )
    assert ApiToken.objects.filter(user=system, name="审批系统").count() == 1
    assert out.getvalue().strip()


def test_loading_again_adds_nothing(county: Center) -> None:
    models = (Case, Event, Notice, CaseFee, JointTask, JointMeeting, User)
    before = {model.__name__: model.objects.count() for model in models}

    assert load_demo_cases().cases == 0
    out = run_demo()

    assert "未作任何更改" in out
    assert {model.__name__: model.objects.count() for model in models} == before


# --- the front desk (govhall/cli/demo/frontdesk.py), loaded by the same `govhall demo` ---------


def test_queue_groups_are_built_from_the_windows_items(county: Center) -> None:
    from govhall.frontdesk.models import ServiceGroup

    groups = ServiceGroup.objects.filter(center=county)
    departments_at_windows = (
        ItemWindow.objects.filter(item__center=county, window__center=county)
        .values("item__department")
        .distinct()
        .count()
    )
    assert groups.count() == departments_at_windows >= 10
    assert not groups.filter(windows__isnull=True).exists()
    assert len(set(groups.values_list("letter", flat=True))) == groups.count()


def test_the_hall_has_a_morning_under_way_and_past_days_to_count(county: Center) -> None:
    from govhall.frontdesk.models import Ticket, TicketStatus

    today = Ticket.objects.filter(center=county, service_date=timezone.localdate())
    statuses = set(today.values_list("status", flat=True))
    assert {TicketStatus.DONE, TicketStatus.SERVING, TicketStatus.CALLED} <= statuses
    assert today.filter(status=TicketStatus.WAITING).count() >= 5
    assert today.filter(priority="green_channel").exists()
    # A window holds at most one ticket (the database constraint says so too).
    active = today.filter(status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
    assert active.values("window").distinct().count() == active.count()
    past = Ticket.objects.filter(center=county).exclude(service_date=timezone.localdate())
    assert past.values("service_date").distinct().count() >= 5
    done = past.filter(status=TicketStatus.DONE)
    assert done.count() > past.count() * 0.8
    assert not done.filter(wait_seconds__isnull=True).exists()
    assert not done.filter(service_seconds__isnull=True).exists()
    # Every ticket went through the services: one take event each, one call event per call.
    assert Event.objects.filter(action="ticket.take").count() == Ticket.objects.count()
    assert Event.objects.filter(action="ticket.call").count() == (
        Ticket.objects.exclude(called_at__isnull=True).count()
    )


def test_first_inquiries_cover_every_outcome_and_a_follow_up(county: Center) -> None:
    from govhall.frontdesk.models import Inquiry, InquiryOutcome, InquiryStatus

    inquiries = Inquiry.objects.filter(center=county)
    assert set(inquiries.values_list("outcome", flat=True)) == set(InquiryOutcome.values)
    assert inquiries.phone_book().count() >= 4
    transfers = inquiries.filter(outcome=InquiryOutcome.TRANSFERRED)
    assert transfers.filter(status=InquiryStatus.DONE).exclude(result="").count() == 1
    assert transfers.filter(status=InquiryStatus.OPEN).count() == 2
    assert Event.objects.filter(action="inquiry.log").count() == inquiries.count()


def test_appointments_are_booked_ahead_with_an_off_hours_request(county: Center) -> None:
    from govhall.frontdesk.models import Appointment

    appointments = Appointment.objects.filter(center=county)
    booked = appointments.filter(status="booked")
    assert booked.count() >= 8
    assert set(booked.values_list("channel", flat=True)) == {"portal", "phone"}
    assert not booked.filter(date__lt=timezone.localdate()).exists()
    assert appointments.filter(status="cancelled").count() == 1
    # Saturdays are not working days in the demo's calendar: a request waits for the director.
    assert appointments.filter(status="requested", is_off_hours=True).count() == 1
    assert Event.objects.filter(action__startswith="appointment.").count() >= appointments.count()


def test_tickets_and_bookings_name_their_matter_in_towns_and_villages_too(
    county: Center,
) -> None:
    """Issue 17 item 1: the demo's tickets and bookings name the item; every town has groups
    built from its windows' items, with waiting tickets and bookings, and every village room a
    line taking bookings."""
    from govhall.frontdesk.models import Appointment, ServiceGroup, Ticket
    from govhall.frontdesk.queries.queue import group_window_mismatches

    tickets = Ticket.objects.filter(center=county)
    assert tickets.filter(item__isnull=False).count() > tickets.count() * 0.8
    # Every called ticket was called at a window that accepts its item.
    called = tickets.filter(item__isnull=False, window__isnull=False)
    accepted = ItemWindow.objects.filter(
        item_id=models.OuterRef("item_id"), window_id=models.OuterRef("window_id")
    )
    assert not called.exclude(models.Exists(accepted)).exists()
    assert Appointment.objects.filter(center=county, item__isnull=False).exclude(matter="").exists()
    for town in Center.objects.filter(parent=county):
        assert ServiceGroup.objects.filter(center=town, windows__isnull=False).exists(), town
        assert Appointment.objects.filter(center=town, item__isnull=False).exists(), town
        assert group_window_mismatches(town) == []
        for village in Center.objects.filter(parent=town):
            assert Appointment.objects.filter(center=village).exists(), village
    assert group_window_mismatches(county) == []


# --- supervision (govhall/cli/demo/supervision.py), loaded by the same `govhall demo` ----------


def test_supervision_is_at_work_as_soon_as_the_demo_is_loaded(county: Center) -> None:
    from govhall.assessment.models import ScoreSheet
    from govhall.assessment.months import month_start
    from govhall.supervision.models import Alert, AlertStatus, PatrolRound, ScanState

    # One finished morning round by the supervisor over windows 1 and 2, one finding at window 1.
    (patrol_round,) = PatrolRound.objects.filter(center=county)
    assert patrol_round.inspector.username == "supervisor"
    assert patrol_round.session == "morning" and patrol_round.finished_at is not None
    assert calendar_for(county.pk).is_workday(patrol_round.day)
    visits = patrol_round.visits.order_by("window__number")
    assert [v.window.number for v in visits] == [1, 2]
    assert [v.findings.count() for v in visits] == [1, 0]
    # The finding raised an alert on the clerk who served window 1, and the clerk explained it.
    finding_alert = Alert.objects.get(
        rule__code="patrol_finding.yellow", responsible__username="clerk"
    )
    assert finding_alert.status == AlertStatus.EXPLAINED and finding_alert.explanation
    # Every scan ran once at load time: the overdue demo cases are on the board already.
    assert ScanState.objects.count() >= 1
    assert Alert.objects.filter(rule__code__startswith="case_deadline.", withdrawn_at=None).exists()
    assert Event.objects.filter(action="patrol_round.start").count() == 1
    assert Event.objects.filter(action="alert.explain").count() == 1
    # The month's sheets are filled: the clerk's counts the patrol deduction; scores differ.
    sheets = ScoreSheet.objects.filter(month=month_start(timezone.localdate()))
    clerk_sheet = sheets.get(person__username="clerk")
    assert clerk_sheet.score <= 100 - finding_alert.points
    assert clerk_sheet.entries.filter(alert=finding_alert).exists()
    assert sheets.filter(center=county).values("score").distinct().count() >= 3


# --- citizens' voice (govhall/cli/demo/feedback.py), loaded by the same `govhall demo` -------


def feedback_counts() -> dict[str, int]:
    from govhall.feedback import models as fb
    from govhall.supervision.models import Alert

    kinds = (
        fb.Rating,
        fb.RatingScreen,
        fb.Complaint,
        fb.Petition,
        fb.PetitionReview,
        fb.LeaderReception,
        fb.WorkOrder,
        fb.WebhookDelivery,
        fb.Suggestion,
        fb.SupervisorAppointment,
        fb.SupervisorVisit,
        fb.Survey,
        fb.SurveyResponse,
        Case,
        User,
        Event,
        Alert,
    )
    return {kind.__name__: kind.objects.count() for kind in kinds}


def test_citizens_voice_loads_once(county: Center) -> None:
    from govhall.cli.demo.feedback import load_demo_feedback

    before = feedback_counts()
    assert before["Rating"] >= 40

    assert load_demo_feedback().ratings == 0
    assert "未作任何更改" in run_demo()

    assert feedback_counts() == before


def test_ratings_over_a_month_with_bad_ratings_in_every_follow_up_state(county: Center) -> None:
    from govhall.feedback.models import Rating, RatingInvitation, RatingScreen
    from govhall.feedback.services.rating_invitations import rating_invitations_send
    from govhall.supervision.models import Alert

    ratings = Rating.objects.filter(center=county)
    days = {timezone.localdate(at) for at in ratings.values_list("rated_at", flat=True)}
    assert (max(days) - min(days)).days >= 25
    assert {1, 3} <= set(ratings.values_list("window__number", flat=True)) <= {1, 2, 3}
    assert {"clerk", "w03-1a"} <= set(ratings.values_list("staff__username", flat=True))
    assert ratings.filter(level__gte=4).count() >= 0.75 * ratings.count()
    assert ratings.filter(level=3).exists()
    bad = {r.follow_up: r for r in ratings.filter(level__lte=2, supersedes__isnull=True)}
    assert set(bad) == {"open", "verified", "appealed", "closed"}
    due = bad["open"].call_back_due_at
    assert bad["open"].rater_phone and due is not None and due < timezone.now()
    assert bad["verified"].level == 1 and bad["verified"].justified is True
    assert bad["appealed"].appeal_reason
    again = Rating.objects.get(supersedes=bad["closed"])
    assert bad["closed"].rectification and again.level == 5
    # The scans run by supervision raised the overdue call-back.
    assert Alert.objects.filter(
        rule__code="rating_overdue.yellow", subject_key=f"rating:{bad['open'].pk}:call_back"
    ).exists()
    # A case delivered on the last working day is unrated: the SMS invitation picks it.
    day = calendar_for(county.pk).subtract_workdays(last_workday(county), 1)
    unrated = Case.objects.filter(
        center=county, status=CaseStatus.DELIVERED, delivered_at__date=day
    ).exclude(pk__in=ratings.exclude(case=None).values("case"))
    assert unrated.exists()
    assert rating_invitations_send() >= 1
    assert RatingInvitation.objects.filter(case__in=unrated).exists()
    screen = RatingScreen.objects.get(window__center=county, window__number=1)
    expires = screen.pairing_expires_at
    assert screen.pairing_code and expires is not None and expires > timezone.now()


def test_complaints_petitions_and_work_orders_in_their_states(county: Center) -> None:
    from govhall.feedback.models import (
        Complaint,
        DeliveryStatus,
        LeaderReception,
        Petition,
        WebhookDelivery,
        WorkOrder,
    )
    from govhall.supervision.models import Alert

    complaints = Complaint.objects.filter(center=county)
    web = complaints.get(channel="web")
    assert web.status == "registered"
    previous = calendar_for(county.pk).subtract_workdays(last_workday(county), 1)
    assert timezone.localdate(web.received_at) == previous
    assert complaints.get(status="assigned").department_reply
    verified = complaints.get(target_staff__username="clerk")
    assert verified.finding == "verified" and verified.status == "closed"
    alert = Alert.objects.get(rule__code="complaint_verified.red", responsible__username="clerk")
    assert alert.points == 2
    assert complaints.filter(handled_on_the_spot=True).exists()
    assert complaints.filter(anonymous=True, complainant_phone="").exists()

    petitions = Petition.objects.filter(center=county)
    collective = petitions.get(people_count=12)
    assert collective.representatives == 5
    assert Alert.objects.filter(rule__subject="petition_major").exists()
    assert LeaderReception.objects.get(center=county).petitions.get() == collective
    accusation = petitions.get(is_accusation=True)
    assert accusation.assigned_department is not None
    assert accusation.assigned_department.code == "SCJG"
    assert petitions.get(extension_days=30).status == "accepted"
    reviewed = petitions.get(status="review")
    assert reviewed.reviews.filter(answered_on=None).exists()

    orders = WorkOrder.objects.filter(center=county)
    assert set(orders.values_list("status", flat=True)) == {
        "received",
        "signed",
        "replied",
        "closed",
    }
    assert orders.get(status="received").department is None
    assert orders.get(status="closed").redo_count == 1
    hotline = User.objects.get(username="hotline12345")
    assert not roles_of(hotline) and Staff.objects.filter(user=hotline, center=county).exists()
    assert not ApiToken.objects.filter(user=hotline).exists()
    deliveries = WebhookDelivery.objects.filter(work_order__center=county)
    assert deliveries.exists()
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_suggestions_supervisor_and_surveys(county: Center) -> None:
    from govhall.assessment.models import ScoreSheet
    from govhall.assessment.months import month_start
    from govhall.feedback.models import Suggestion, SupervisorVisit, Survey
    from govhall.supervision.models import Alert

    entries = Suggestion.objects.filter(center=county)
    assert entries.count() == 8
    days = [timezone.localdate(at) for at in entries.values_list("received_at", flat=True)]
    assert (max(days) - min(days)).days >= 45
    assert entries.filter(is_public=True).exclude(reply="").count() >= 3
    assert entries.filter(channel="paper").count() == 1
    overdue = entries.filter(reply="", reply_due_at__lt=timezone.now())
    assert overdue.exists()
    assert Alert.objects.filter(rule__subject="suggestion_overdue", withdrawn_at=None).exists()

    visits = SupervisorVisit.objects.filter(appointment__user__username="social")
    assert visits.get(kind="mystery").response
    assert not visits.get(kind="opinion").response

    surveys = Survey.objects.filter(center=county)
    assert surveys.get(status="open").responses.count() == 20
    assert surveys.filter(status="closed").exists()

    # The month's fill counted the complaint found against the clerk (when it fell this month).
    alert = Alert.objects.get(rule__code="complaint_verified.red", responsible__username="clerk")
    if month_start(alert.occurred_on) == month_start(timezone.localdate()):
        sheet = ScoreSheet.objects.get(
            month=month_start(timezone.localdate()), person__username="clerk"
        )
        assert sheet.entries.filter(alert=alert).exists()
