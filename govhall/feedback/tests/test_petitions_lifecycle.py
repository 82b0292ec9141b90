"""Petitions (信访): the register, every limit in calendar days at its boundary, the one
extension, 复查 then 复核 in order and within their windows, collective visits alerting the
leaders at once, reception days."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.models import Event, OutboundMessage
from govhall.core.validation import Conflict
from govhall.feedback.models.petitions import (
    PetitionReview,
    PetitionReviewKind,
    PetitionStatus,
)
from govhall.feedback.services.petitions import (
    petition_accept,
    petition_actions,
    petition_answer_on_spot,
    petition_answer_review,
    petition_assign,
    petition_close,
    petition_extend,
    petition_notify,
    petition_refuse,
    petition_request_review,
    reception_receive,
    reception_schedule,
)
from govhall.supervision.models import Alert
from govhall.testing.petitions import make_petition, set_fields
from govhall.testing.supervision import ensure_default_rules

FRIDAY = datetime.date(2026, 11, 6)  # a Friday: the limits run over the weekend
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _rules(db: None) -> None:
    ensure_default_rules()  # the supervision rules, flushed by any transactional test before


def test_register_keeps_the_seeds_fields_and_calendar_day_limits(director, county):
    petition = make_petition(director, county, day=FRIDAY)
    assert petition.number.startswith(f"XF{county.code}20261106")
    assert (petition.name, petition.gender, petition.age) == ("张三丰", "male", 56)
    assert petition.occupation == "农民" and petition.political_status == "masses"
    assert petition.address_or_employer == "城关镇幸福村三组"
    # Calendar days, weekends counted: Friday + 3 is Monday, + 15 is Saturday three weeks on.
    assert petition.answer_due_on == datetime.date(2026, 11, 9)
    assert petition.acceptance_due_on == datetime.date(2026, 11, 21)
    assert petition.acceptance_due_on.weekday() == 5
    assert petition.reception_due_on is None
    assert petition.handler == director and petition.status == PetitionStatus.REGISTERED
    assert Event.objects.filter(action="petition.register", object_id=str(petition.pk)).exists()


def test_register_refuses_bad_input_with_every_field_at_once(director, county):
    with pytest.raises(ValidationError) as caught:
        make_petition(
            director, county, name="", matter="", id_number="110105194912310021", phone="12345"
        )
    assert set(caught.value.message_dict) >= {"name", "matter", "id_number", "phone"}


def test_representatives_above_five_are_refused_with_a_clear_message(director, county):
    with pytest.raises(ValidationError) as caught:
        make_petition(director, county, people_count=30, representatives=6)
    assert "不超过5名代表" in caught.value.message_dict["representatives"][0]
    petition = make_petition(director, county, people_count=30, representatives=5)
    assert petition.representatives == 5


def test_collective_visit_alerts_the_leaders_at_once(
    director, dept_leader, department, county, django_capture_on_commit_callbacks
):
    for user, phone in ((director, "13900000001"), (dept_leader, "13900000002")):
        user.phone = phone
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        petition = make_petition(
            director, county, people_count=5, representatives=3, department=department
        )
    alert = Alert.objects.get(subject_key=f"petition:{petition.pk}")
    assert alert.rule.code == "petition_major.serious" and alert.points == 0
    assert alert.department_id == department.pk
    assert "张三丰" not in alert.detail
    sms = set(
        OutboundMessage.objects.filter(purpose="supervision.alert").values_list("to", flat=True)
    )
    assert {"13900000001", "13900000002"} <= sms
    # A collective visit needs a leader reception within 7 calendar days.
    assert petition.reception_due_on == timezone.localdate() + 7 * DAY


def test_four_people_is_not_collective_but_a_major_matter_alerts(director, county):
    quiet = make_petition(director, county, people_count=4, representatives=2)
    assert not Alert.objects.filter(subject_key=f"petition:{quiet.pk}").exists()
    major = make_petition(director, county, is_major=True)
    assert Alert.objects.filter(
        subject_key=f"petition:{major.pk}", rule__code="petition_major.serious"
    ).exists()


def test_answer_on_the_spot_ends_it(director, county):
    petition = make_petition(director, county)
    done = petition_answer_on_spot(
        actor=director, petition=petition, version=petition.version, answer="已当场解释政策"
    )
    assert done.status == PetitionStatus.ANSWERED_ON_SPOT
    assert done.answered_on == timezone.localdate() and done.version == 2
    assert petition_actions(director, done) == []


def test_stale_version_is_a_conflict_and_changes_nothing(director, county):
    petition = make_petition(director, county)
    petition_notify(actor=director, petition=petition, version=1, notice="三日内答复")
    with pytest.raises(Conflict):
        petition_accept(actor=director, petition=petition, version=1, notice="受理")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REGISTERED and petition.answered_on is not None


def test_notice_once_then_accept_sets_sixty_days(director, county):
    petition = make_petition(director, county)
    petition = petition_notify(actor=director, petition=petition, version=1, notice="告知")
    with pytest.raises(Conflict):
        petition_notify(actor=director, petition=petition, version=2, notice="again")
    petition = petition_accept(actor=director, petition=petition, version=2, notice="予以受理")
    assert petition.status == PetitionStatus.ACCEPTED
    assert petition.accepted_on == timezone.localdate()
    assert petition.close_due_on == timezone.localdate() + 60 * DAY
    assert petition.acceptance_notice == "予以受理"


def test_not_accepted_needs_a_written_notice(director, county):
    petition = make_petition(director, county)
    with pytest.raises(ValidationError):
        petition_refuse(actor=director, petition=petition, version=1, notice=" ")
    petition = petition_refuse(
        actor=director, petition=petition, version=1, notice="不属于受理范围"
    )
    assert petition.status == PetitionStatus.NOT_ACCEPTED and petition.closed_on is not None


def test_one_extension_of_at_most_thirty_days_with_a_reason(director, county):
    petition = make_petition(director, county)
    petition = petition_accept(actor=director, petition=petition, version=1, notice="受理")
    due = petition.close_due_on
    assert due is not None
    with pytest.raises(ValidationError) as caught:
        petition_extend(actor=director, petition=petition, version=2, days=31, reason="复杂")
    assert "days" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        petition_extend(actor=director, petition=petition, version=2, days=30, reason="")
    assert "reason" in caught.value.message_dict
    petition = petition_extend(
        actor=director, petition=petition, version=2, days=30, reason="涉及多部门"
    )
    assert petition.close_due_on == due + 30 * DAY and petition.extension_days == 30
    with pytest.raises(Conflict) as second:
        petition_extend(actor=director, petition=petition, version=3, days=1, reason="再次")
    assert "只允许延长一次" in second.value.messages[0]


def test_assign_to_a_department_of_the_center_only(director, county, department, other_county):
    from govhall.testing.factories import DepartmentFactory

    petition = make_petition(director, county)
    elsewhere = DepartmentFactory(center=other_county, code="X1", name="外县部门")
    with pytest.raises(ValidationError):
        petition_assign(actor=director, petition=petition, version=1, department=elsewhere)
    petition = petition_assign(
        actor=director, petition=petition, version=1, department=department, instructions="核实"
    )
    assert petition.assigned_department == department and petition.assigned_at is not None


def _closed(director, county, closed_on):  # type: ignore[no-untyped-def]
    petition = make_petition(director, county)
    petition = petition_accept(actor=director, petition=petition, version=1, notice="受理")
    petition = petition_close(actor=director, petition=petition, version=2, opinion="处理意见")
    return set_fields(petition, closed_on=closed_on)


def test_review_requested_on_day_thirty_but_not_thirty_one(director, county):
    today = timezone.localdate()
    late = _closed(director, county, today - 31 * DAY)
    with pytest.raises(ValidationError) as caught:
        petition_request_review(
            actor=director, petition=late, version=late.version, kind=PetitionReviewKind.REVIEW
        )
    assert "已超过期限" in caught.value.message_dict["requested_on"][0]
    late.refresh_from_db()
    assert late.status == PetitionStatus.CLOSED and not late.reviews.exists()

    in_time = _closed(director, county, today - 30 * DAY)
    review = petition_request_review(
        actor=director, petition=in_time, version=in_time.version, kind=PetitionReviewKind.REVIEW
    )
    assert review.due_on == today + 30 * DAY
    in_time.refresh_from_db()
    assert in_time.status == PetitionStatus.UNDER_REVIEW


def test_review_then_recheck_in_order_once_each(director, county):
    petition = _closed(director, county, timezone.localdate())
    with pytest.raises(Conflict):  # 复核 before 复查
        petition_request_review(
            actor=director, petition=petition, version=petition.version, kind="recheck"
        )
    petition_request_review(
        actor=director, petition=petition, version=petition.version, kind="review"
    )
    petition.refresh_from_db()
    petition_answer_review(
        actor=director, petition=petition, version=petition.version, answer="维持"
    )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED
    with pytest.raises(Conflict):  # a second 复查
        petition_request_review(
            actor=director, petition=petition, version=petition.version, kind="review"
        )
    first = PetitionReview.objects.get(petition=petition, kind="review")
    PetitionReview.objects.filter(pk=first.pk).update(answered_on=timezone.localdate() - 31 * DAY)
    with pytest.raises(ValidationError, match="已超过期限"):
        petition_request_review(
            actor=director, petition=petition, version=petition.version, kind="recheck"
        )
    PetitionReview.objects.filter(pk=first.pk).update(answered_on=timezone.localdate() - 30 * DAY)
    recheck = petition_request_review(
        actor=director, petition=petition, version=petition.version, kind="recheck"
    )
    assert recheck.kind == PetitionReviewKind.RE_EXAMINATION
    petition.refresh_from_db()
    petition_answer_review(
        actor=director, petition=petition, version=petition.version, answer="维持"
    )
    petition.refresh_from_db()
    assert petition_actions(director, petition) == []


def test_only_handlers_of_the_center_act(director, clerk, outsider, county):
    petition = make_petition(director, county)
    for user in (clerk, outsider):
        assert petition_actions(user, petition) == []
        with pytest.raises(ValidationError):
            petition_notify(actor=user, petition=petition, version=1, notice="x")
        with pytest.raises(ValidationError):
            make_petition(user, county)


def test_reception_days_for_leaders_of_the_center(director, dept_leader, clerk, county):
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(ValidationError):
        reception_schedule(actor=director, center=county, leader=clerk, day=tomorrow)
    with pytest.raises(ValidationError):
        reception_schedule(actor=dept_leader, center=county, leader=dept_leader, day=tomorrow)
    reception = reception_schedule(
        actor=director, center=county, leader=dept_leader, day=tomorrow, place="接访室"
    )
    with pytest.raises(Conflict):
        reception_schedule(actor=director, center=county, leader=dept_leader, day=tomorrow)
    petition = make_petition(director, county, people_count=6, representatives=2)
    reception_receive(actor=director, reception=reception, petition=petition)
    assert list(reception.petitions.all()) == [petition]
    with pytest.raises(Conflict):
        reception_receive(actor=director, reception=reception, petition=petition)
