"""The follow-up of a bad rating (issue 15 item 1): call-back and verification, rectification,
telling the citizen, appeal and management's decision — each transition allowed or refused by
state and by party, stale versions, and the staff fact of a justified 非常不满意."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from govhall.core.events import is_registered
from govhall.core.models import Event, OutboundMessage, User
from govhall.core.validation import Conflict
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.feedback.rating_transitions import RATING_TRANSITIONS
from govhall.feedback.services.rating_follow_up import (
    ACTION_EVENTS,
    fact_source,
    rating_actions,
    rating_appeal,
    rating_call_back,
    rating_exclude,
    rating_rectify,
    rating_reject_appeal,
    rating_tell,
)
from govhall.feedback.services.rating_tokens import read_token
from govhall.org.models import Center, Department, Window
from govhall.staffing.models.assignment import StaffFact, StaffFactKind
from govhall.testing.rating_follow_up import (
    RATER_PHONE,
    bad_rating,
    rated_case,
    rated_window,
)

pytestmark = pytest.mark.django_db

S = FollowUpStatus


@pytest.fixture
def window(county: Center, department: Department, window_head: User) -> Window:
    return rated_window(county, department, window_head)


@pytest.fixture
def rating(window: Window, department: Department, clerk: User) -> Rating:
    case = rated_case(window, department, clerk)
    return bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))


def _facts(user: User) -> int:
    return StaffFact.objects.filter(user=user, kind=StaffFactKind.MOST_UNSATISFACTORY).count()


def _actions(user: User, rating: Rating) -> list[str]:
    return [row.action for row in rating_actions(user, rating)]


def test_the_table_is_the_issue_s_lifecycle() -> None:
    rows = {(r.state, r.action, r.next_state) for r in RATING_TRANSITIONS}
    assert rows == {
        ("open", "call_back", "verified"),
        ("open", "appeal", "appealed"),
        ("verified", "rectify", "rectified"),
        ("verified", "tell", "closed"),
        ("verified", "appeal", "appealed"),
        ("rectified", "tell", "closed"),
        ("appealed", "exclude", "excluded"),
        ("appealed", "reject_appeal", "before_appeal"),
    }
    assert all(is_registered(str(name)) for name in ACTION_EVENTS.values())


def test_call_back_rectify_tell_with_the_staff_fact_and_the_sms(
    rating: Rating,
    window_head: User,
    dept_leader: User,
    clerk: User,
    django_capture_on_commit_callbacks,
) -> None:
    assert _actions(window_head, rating) == ["call_back", "appeal"]
    assert _actions(dept_leader, rating) == ["call_back", "appeal"]
    done = rating_call_back(
        actor=window_head, rating=rating, version=1, justified=True, note="  电话回访，属实 "
    )
    assert done.follow_up == S.VERIFIED and done.justified is True and done.version == 2
    assert done.called_back_by == window_head and done.call_back_note == "电话回访，属实"
    assert rating.follow_up == S.VERIFIED  # the caller's object follows
    fact = StaffFact.objects.get(user=clerk, kind=StaffFactKind.MOST_UNSATISFACTORY)
    assert fact.source == fact_source(rating.pk)
    # A justified rating is rectified, and can no longer be appealed or told straight away.
    assert _actions(dept_leader, done) == ["rectify"]
    done = rating_rectify(
        actor=dept_leader, rating=rating, version=2, result="已批评教育，整改到位"
    )
    assert done.follow_up == S.RECTIFIED and done.rectified_by == dept_leader
    with django_capture_on_commit_callbacks(execute=True):
        done = rating_tell(actor=window_head, rating=rating, version=3, note="短信告知")
    assert done.follow_up == S.CLOSED and done.citizen_told_at is not None
    sms = OutboundMessage.objects.get(purpose="feedback.rating_result")
    assert sms.to == RATER_PHONE and "已批评教育" in sms.text
    token = sms.text.rstrip("/").rsplit("/", 1)[-1]
    assert read_token(token) == ("rerate", rating.pk)
    actions = list(
        Event.objects.filter(object_type="feedback.rating", object_id=str(rating.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["rating.call_back", "rating.rectify", "rating.tell"]
    assert _facts(clerk) == 1


def test_a_rating_found_not_justified_goes_straight_to_tell_or_appeal(
    rating: Rating, window_head: User, clerk: User, director: User
) -> None:
    rating_call_back(actor=window_head, rating=rating, version=1, justified=False, note="不属实")
    assert _actions(window_head, rating) == ["tell", "appeal"]
    with pytest.raises(Conflict):
        rating_rectify(actor=window_head, rating=rating, version=2, result="x")
    assert _facts(clerk) == 0  # not justified: no fact
    rating_appeal(actor=window_head, rating=rating, version=2, reason="恶意差评")
    assert rating.follow_up == S.APPEALED
    rating_reject_appeal(actor=director, rating=rating, version=3, note="理由不足")
    # back where it was before the appeal: verified, and a second appeal is not made
    assert rating.follow_up == S.VERIFIED and rating.appeal_decided_by == director
    assert _actions(window_head, rating) == ["tell"]
    with pytest.raises(Conflict):
        rating_appeal(actor=window_head, rating=rating, version=4, reason="再次申诉")
    rating_tell(actor=window_head, rating=rating, version=4)
    assert rating.follow_up == S.CLOSED


def test_a_justified_rating_cannot_be_appealed(rating: Rating, window_head: User) -> None:
    rating_call_back(actor=window_head, rating=rating, version=1, justified=True, note="属实")
    with pytest.raises(Conflict):
        rating_appeal(actor=window_head, rating=rating, version=2, reason="恶意")
    assert Rating.objects.get(pk=rating.pk).follow_up == S.VERIFIED


def test_appeal_exclude_keeps_the_reason_and_never_counts(
    rating: Rating, window_head: User, director: User, clerk: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        rating_appeal(actor=window_head, rating=rating, version=1, reason="  ")
    assert "reason" in refused.value.message_dict
    rating_appeal(actor=window_head, rating=rating, version=1, reason="误操作，群众当场说明")
    # the department does not decide its own appeal; management does
    assert _actions(window_head, rating) == []
    with pytest.raises(ValidationError):
        rating_exclude(actor=window_head, rating=rating, version=2, note="同意")
    assert _actions(director, rating) == ["exclude", "reject_appeal"]
    with pytest.raises(ValidationError) as refused:
        rating_exclude(actor=director, rating=rating, version=2, note="")
    assert "note" in refused.value.message_dict
    done = rating_exclude(actor=director, rating=rating, version=2, note="经核实为误评")
    assert done.follow_up == S.EXCLUDED and done.excluded is True
    assert done.appeal_reason == "误操作，群众当场说明"
    assert done.appeal_decision_note == "经核实为误评" and done.appeal_decided_by == director
    assert not Rating.objects.counting().filter(pk=rating.pk).exists()
    assert _facts(clerk) == 0
    assert rating_actions(window_head, done) == [] and rating_actions(director, done) == []


def test_reject_appeal_from_open_goes_back_to_open(
    rating: Rating, dept_leader: User, admin_user: User
) -> None:
    rating_appeal(actor=dept_leader, rating=rating, version=1, reason="恶意")
    rating_reject_appeal(actor=admin_user, rating=rating, version=2, note="不予支持")
    assert rating.follow_up == S.OPEN and not rating.excluded
    assert _actions(dept_leader, rating) == ["call_back"]


def test_nobody_decides_on_their_own_rating(
    county: Center,
    department: Department,
    window: Window,
    director: User,
    admin_user: User,
    window_head: User,
) -> None:
    """The hall director served and was rated: the director neither follows it up nor decides the
    department's appeal; another manager of the center does."""
    case = rated_case(window, department, director)
    own = bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))
    rating_appeal(actor=window_head, rating=own, version=1, reason="恶意")
    assert rating_actions(director, own) == []
    with pytest.raises(ValidationError) as refused:
        rating_exclude(actor=director, rating=own, version=2, note="同意")
    assert not isinstance(refused.value, Conflict)
    assert refused.value.messages == [
        gettext("Nobody follows up or decides on a rating of their own service.")
    ]
    rating_exclude(actor=admin_user, rating=own, version=2, note="同意")
    assert own.follow_up == S.EXCLUDED


def test_the_rated_window_head_does_not_follow_up_their_own_rating(
    window: Window, department: Department, window_head: User, dept_leader: User
) -> None:
    case = rated_case(window, department, window_head)
    own = bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))
    assert rating_actions(window_head, own) == []
    with pytest.raises(ValidationError):
        rating_call_back(actor=window_head, rating=own, version=1, justified=False, note="无")
    rating_call_back(actor=dept_leader, rating=own, version=1, justified=False, note="无")


def test_parties_by_role(
    rating: Rating,
    director: User,
    supervisor: User,
    reviewer: User,
    clerk: User,
    guide: User,
    outsider: User,
) -> None:
    # management decides appeals, it does not call back for a department
    with pytest.raises(ValidationError):
        rating_call_back(actor=director, rating=rating, version=1, justified=True, note="x")
    # supervisors read, never act
    assert rating_actions(supervisor, rating) == []
    with pytest.raises(ValidationError):
        rating_call_back(actor=supervisor, rating=rating, version=1, justified=True, note="x")
    # who does not see the rating gets 404: the rated clerk, back office, guide, other county
    for user in (reviewer, clerk, guide, outsider):
        with pytest.raises(Http404):
            rating_call_back(actor=user, rating=rating, version=1, justified=True, note="x")
    assert Rating.objects.get(pk=rating.pk).version == 1


def test_stale_version_is_a_conflict_and_bad_input_refused_whole(
    rating: Rating, window_head: User, dept_leader: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        rating_call_back(actor=window_head, rating=rating, version="", justified="", note="")
    assert set(refused.value.message_dict) == {"version", "justified", "note"}
    rating_call_back(actor=window_head, rating=rating, version=1, justified=True, note="属实")
    with pytest.raises(Conflict) as stale:
        rating_rectify(actor=dept_leader, rating=rating, version=1, result="整改")
    assert "version" in stale.value.message_dict
    with pytest.raises(Conflict):  # a state that no longer allows it
        rating_call_back(actor=dept_leader, rating=rating, version=2, justified=True, note="再")
    assert Rating.objects.get(pk=rating.pk).follow_up == S.VERIFIED


def test_staff_fact_once_per_rating_and_only_for_level_one(
    window: Window, department: Department, clerk: User, window_head: User
) -> None:
    case = rated_case(window, department, clerk)
    first = bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))
    # a fact of this rating already there (recorded before) is not recorded again
    StaffFact.objects.create(
        user=clerk,
        kind=StaffFactKind.MOST_UNSATISFACTORY,
        occurred_on=timezone.localdate(),
        source=fact_source(first.pk),
    )
    rating_call_back(actor=window_head, rating=first, version=1, justified=True, note="属实")
    assert _facts(clerk) == 1
    other = rated_case(window, department, clerk)
    level_two = bad_rating(other, level=2, rated_at=timezone.now() - datetime.timedelta(hours=1))
    rating_call_back(actor=window_head, rating=level_two, version=1, justified=True, note="属实")
    assert _facts(clerk) == 1
