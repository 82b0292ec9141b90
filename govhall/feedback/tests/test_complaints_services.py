"""Complaints (投诉): deadlines at their boundary, the lifecycle by state and party, a finding
against the target (alert + staff fact, once), telling the complainant."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.models import Event, OutboundMessage
from govhall.core.ratelimit import RateLimited
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.feedback.complaint_transitions import ComplaintAction as A
from govhall.feedback.models import (
    ComplaintChannel,
    ComplaintComplexity,
    ComplaintFinding,
    ComplaintStatus,
    ComplaintTarget,
    ToldVia,
)
from govhall.feedback.services.complaints import (
    complaint_actions,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_register,
    complaint_reply,
    complaint_submit_public,
    complaint_tell,
)
from govhall.staffing.models.assignment import StaffFact, StaffFactKind
from govhall.staffing.queries.assignments import return_warnings
from govhall.supervision.models import Alert
from govhall.testing.complaints import local, make_complaint
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(county, department):
    return make_staff(
        Role.CLERK, county, department, username="target", window_staff=True, phone="13900000001"
    )


def actions(user, complaint):
    return [row.action for row in complaint_actions(user, complaint)]


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "complexity", "due"),
    [
        # Monday → closing time of Tuesday
        (local(2025, 12, 1, 10, 0), ComplaintComplexity.SIMPLE, local(2025, 12, 2, 17, 30)),
        # Friday afternoon → Monday
        (local(2025, 12, 5, 16, 0), ComplaintComplexity.SIMPLE, local(2025, 12, 8, 17, 30)),
        # Saturday → Monday (the next working day)
        (local(2025, 12, 6, 9, 0), ComplaintComplexity.SIMPLE, local(2025, 12, 8, 17, 30)),
        # before National Day: the holiday does not count (Oct 1–8, 2025)
        (local(2025, 9, 30, 9, 0), ComplaintComplexity.SIMPLE, local(2025, 10, 9, 17, 30)),
        # complex: 5 working days, Saturday 11 October 2025 a make-up working day
        (local(2025, 9, 30, 9, 0), ComplaintComplexity.COMPLEX, local(2025, 10, 14, 17, 30)),
        (local(2025, 12, 1, 10, 0), ComplaintComplexity.COMPLEX, local(2025, 12, 8, 17, 30)),
    ],
)
def test_due_at_is_closing_time_of_the_nth_working_day(county, director, received, complexity, due):
    complaint = make_complaint(director, county, received_at=received, complexity=complexity)
    assert complaint.due_at == due
    assert complaint.number.startswith("TS330100")


def test_simple_workdays_setting_zero_means_the_same_day(county, director, settings):
    settings.GOVHALL_COMPLAINT_SIMPLE_WORKDAYS = 0
    complaint = make_complaint(director, county, received_at=local(2025, 12, 1, 10, 0))
    assert complaint.due_at == local(2025, 12, 1, 17, 30)


def test_web_complaint_on_friday_is_answered_next_working_day_and_late_needs_a_reason(
    county, department, director
):
    friday = local(2025, 12, 5, 16, 0)
    on_time = complaint_submit_public(
        center=county,
        client="10.0.0.1",
        target_kind=ComplaintTarget.DEPARTMENT,
        target_id=department.pk,
        summary="材料被退回三次",
        complainant_phone="13811112222",
        at=friday,
    )
    assert on_time.channel == ComplaintChannel.WEB and len(on_time.public_token) >= 20
    assert on_time.due_at == local(2025, 12, 8, 17, 30)
    assert on_time.handler is None
    answered = complaint_answer(
        actor=director,
        complaint=on_time,
        version=on_time.version,
        finding=ComplaintFinding.UNFOUNDED,
        result="经核实，材料确有缺项，已当面说明。",
        now=local(2025, 12, 8, 17, 30),
    )
    assert answered.status == ComplaintStatus.ANSWERED and answered.handler == director

    late = complaint_submit_public(
        center=county,
        client="10.0.0.2",
        target_kind=ComplaintTarget.CENTER,
        summary="等候时间过长",
        anonymous=True,
        complainant_name="李四",
        at=friday,
    )
    assert late.complainant_name == "" and late.anonymous
    with pytest.raises(ValidationError) as refused:
        complaint_answer(
            actor=director,
            complaint=late,
            version=late.version,
            finding=ComplaintFinding.VERIFIED,
            result="已增设窗口。",
            now=local(2025, 12, 8, 17, 31),
        )
    assert "delay_reason" in refused.value.message_dict
    late.refresh_from_db()
    assert late.status == ComplaintStatus.REGISTERED and late.version == 1
    complaint_answer(
        actor=director,
        complaint=late,
        version=late.version,
        finding=ComplaintFinding.VERIFIED,
        result="已增设窗口。",
        delay_reason="需调取监控核实",
        now=local(2025, 12, 8, 17, 31),
    )
    late.refresh_from_db()
    assert late.delay_reason == "需调取监控核实"


def test_public_form_is_rate_limited_and_refuses_a_staff_target(county, target, settings):
    settings.GOVHALL_RATE_COMPLAINT_PER_ADDRESS_HOUR = 2
    with pytest.raises(ValidationError):
        complaint_submit_public(
            center=county,
            client="10.9.9.9",
            target_kind=ComplaintTarget.STAFF,
            target_id=target.pk,
            summary="x",
        )
    complaint_submit_public(
        center=county, client="10.9.9.9", target_kind=ComplaintTarget.CENTER, summary="x"
    )
    with pytest.raises(RateLimited):
        complaint_submit_public(
            center=county, client="10.9.9.9", target_kind=ComplaintTarget.CENTER, summary="y"
        )


def test_register_refuses_bad_input_and_targets_outside_the_center(
    county, other_county, director, outsider
):
    other_window = WindowFactory(center=other_county)
    with pytest.raises(ValidationError) as refused:
        complaint_register(
            actor=director,
            center_id=county.pk,
            channel="fax",
            target_kind=ComplaintTarget.WINDOW,
            target_id=other_window.pk,
            summary="",
            complainant_phone="abc",
        )
    assert set(refused.value.message_dict) >= {"channel"}
    with pytest.raises(ValidationError) as refused:
        complaint_register(
            actor=director,
            center_id=county.pk,
            channel=ComplaintChannel.VISIT,
            target_kind=ComplaintTarget.WINDOW,
            target_id=other_window.pk,
            summary="",
            complainant_phone="abc",
        )
    assert set(refused.value.message_dict) == {"target_id", "summary", "complainant_phone"}
    with pytest.raises(ValidationError) as refused:
        make_complaint(outsider, county)
    assert "center_id" in refused.value.message_dict


# --- the lifecycle ---------------------------------------------------------------------------


def test_on_the_spot_closes_at_once_with_its_finding(county, supervisor, target):
    complaint = make_complaint(
        supervisor,
        county,
        target=target,
        channel=ComplaintChannel.VISIT,
        on_the_spot=True,
        finding=ComplaintFinding.UNFOUNDED,
        result="当场解释清楚，群众表示理解。",
    )
    assert complaint.status == ComplaintStatus.CLOSED and complaint.handled_on_the_spot
    assert complaint.told_via == ToldVia.IN_PERSON and complaint.closed_at is not None
    assert actions(supervisor, complaint) == []
    with pytest.raises(ValidationError) as refused:
        make_complaint(
            supervisor, county, channel=ComplaintChannel.LETTER, on_the_spot=True, finding=""
        )
    assert {"on_the_spot", "finding", "result"} <= set(refused.value.message_dict)


def test_lifecycle_by_state_and_party(
    county, department, director, clerk, dept_leader, target, django_capture_on_commit_callbacks
):
    complaint = make_complaint(director, county, target=target)
    assert actions(director, complaint) == [A.ASSIGN, A.ANSWER]
    assert actions(clerk, complaint) == []
    with pytest.raises(Conflict):  # not assigned: nothing to reply to
        complaint_reply(actor=clerk, complaint=complaint, version=1, reply="x")

    complaint_assign(actor=director, complaint=complaint, version=1, department_id=department.pk)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED and complaint.version == 2
    assert complaint.assignment_due_at == complaint.due_at
    assert actions(clerk, complaint) == [A.REPLY]
    assert actions(dept_leader, complaint) == [A.REPLY]
    assert actions(target, complaint) == []  # never the target, though of the department
    with pytest.raises(ValidationError):
        complaint_answer(
            actor=clerk, complaint=complaint, version=2, finding="verified", result="x"
        )
    with pytest.raises(Conflict):  # stale version
        complaint_reply(actor=clerk, complaint=complaint, version=1, reply="已核实")
    complaint_reply(actor=clerk, complaint=complaint, version=2, reply="已核实，属实。")
    complaint.refresh_from_db()
    with pytest.raises(Conflict):  # replied once
        complaint_reply(actor=dept_leader, complaint=complaint, version=3, reply="again")

    complaint_answer(
        actor=director,
        complaint=complaint,
        version=3,
        finding=ComplaintFinding.UNFOUNDED,
        result="经核实不属实。",
    )
    complaint.refresh_from_db()
    assert actions(director, complaint) == [A.TELL]
    with pytest.raises(ValidationError):  # not told yet
        complaint_close(actor=director, complaint=complaint, version=4)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_tell(actor=director, complaint=complaint, version=4, via=ToldVia.SMS)
    sms = OutboundMessage.objects.get(purpose="feedback.complaint_result")
    assert sms.to == "13812345678" and complaint.number in sms.text
    complaint.refresh_from_db()
    assert actions(director, complaint) == [A.CLOSE]
    complaint_close(actor=director, complaint=complaint, version=5)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.version == 6
    names = list(
        Event.objects.filter(object_type="feedback.complaint", object_id=str(complaint.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert names == [
        "complaint.register",
        "complaint.assign",
        "complaint.reply",
        "complaint.answer",
        "complaint.tell",
        "complaint.close",
    ]


def test_letter_needs_an_address_and_anonymous_closes_without_telling(county, director):
    complaint = make_complaint(director, county)
    complaint_answer(
        actor=director, complaint=complaint, version=1, finding="unfounded", result="说明"
    )
    with pytest.raises(ValidationError) as refused:
        complaint_tell(actor=director, complaint=complaint, version=2, via=ToldVia.LETTER)
    assert "via" in refused.value.message_dict
    anonymous = make_complaint(director, county, anonymous=True)
    complaint_answer(
        actor=director, complaint=anonymous, version=1, finding="unfounded", result="说明"
    )
    complaint_close(actor=director, complaint=anonymous, version=2)
    anonymous.refresh_from_db()
    assert anonymous.status == ComplaintStatus.CLOSED and anonymous.told_at is None


# --- a finding against the target ----------------------------------------------------------


def _answer(complaint, actor, finding):
    return complaint_answer(
        actor=actor, complaint=complaint, version=complaint.version, finding=finding, result="r"
    )


@pytest.mark.parametrize("finding", [ComplaintFinding.VERIFIED, ComplaintFinding.PARTLY_VERIFIED])
def test_a_finding_against_staff_raises_one_alert_and_one_fact(county, director, target, finding):
    complaint = make_complaint(director, county, target=target)
    _answer(complaint, director, finding)
    alert = Alert.objects.get(rule__code="complaint_verified.red")
    assert alert.responsible == target and alert.points == 2
    assert alert.subject_key == f"complaint:{complaint.pk}"
    fact = StaffFact.objects.get(user=target)
    assert fact.kind == StaffFactKind.VERIFIED_COMPLAINT and fact.source == complaint.number
    # once: the state machine answers once; the second call changes nothing
    with pytest.raises(Conflict):
        _answer(complaint, director, finding)
    assert Alert.objects.count() == 1 and StaffFact.objects.count() == 1


def test_unfounded_counts_nothing_and_two_verified_make_the_return_warning(
    county, director, target
):
    _answer(make_complaint(director, county, target=target), director, "unfounded")
    assert not Alert.objects.exists() and not StaffFact.objects.exists()
    _answer(make_complaint(director, county, target=target), director, "verified")
    assert return_warnings(county, timezone.localdate()) == []
    _answer(make_complaint(director, county, target=target), director, "partly")
    (warning,) = return_warnings(county, timezone.localdate())
    assert warning.user == target and warning.counts[StaffFactKind.VERIFIED_COMPLAINT] == 2


def test_return_rule_reads_its_setting(county, director, target, settings):
    settings.GOVHALL_COMPLAINTS_FOR_RETURN = 1
    _answer(make_complaint(director, county, target=target), director, "verified")
    assert [w.user for w in return_warnings(county, timezone.localdate())] == [target]


def test_window_and_department_targets_answer_through_their_head_and_leader(
    county, department, director, window_head, dept_leader
):
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    _answer(
        make_complaint(director, county, target_kind=ComplaintTarget.WINDOW, target_id=window.pk),
        director,
        "verified",
    )
    _answer(
        make_complaint(
            director, county, target_kind=ComplaintTarget.DEPARTMENT, target_id=department.pk
        ),
        director,
        "verified",
    )
    responsible = dict(
        Alert.objects.filter(rule__code="complaint_verified.red").values_list(
            "window_id", "responsible_id"
        )
    )
    assert responsible == {window.pk: window_head.pk, None: dept_leader.pk}
    assert not StaffFact.objects.exists()
