"""The alert inbox (issue 14 item 5): acknowledge, explain (情况说明), accept or uphold — each
transition, each refusal, who sees which alert, and the points an accepted alert gives back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404

from govhall.core.events import is_registered
from govhall.core.models import Event, OutboundMessage, User
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.org.models import Center, Window
from govhall.supervision.access.alerts import can_answer_alert, can_decide_alert
from govhall.supervision.access.rules import access_alert
from govhall.supervision.alert_transitions import ALERT_TRANSITIONS, AlertAction
from govhall.supervision.models import Alert, AlertStatus
from govhall.supervision.queries.alerts import alert_inbox, alert_timeline
from govhall.supervision.services.alerts import (
    ACTION_EVENTS,
    alert_accept,
    alert_acknowledge,
    alert_actions,
    alert_explain,
    alert_uphold,
)
from govhall.testing.alerts import make_alert
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(hall_window: Window, clerk: User) -> Alert:
    clerk.phone = "13900000001"
    clerk.save(update_fields=["phone"])
    return make_alert(hall_window, clerk)


def _explained(alert: Alert, clerk: User) -> Alert:
    return alert_explain(actor=clerk, alert=alert, explanation="系统故障，已补办。")


def _points(user: User) -> Decimal:
    total = Alert.objects.counting().filter(responsible=user).aggregate(s=Sum("points"))["s"]
    return total or Decimal("0")


def test_the_table_has_the_issue_s_lifecycle() -> None:
    rows = {(r.state, r.action, r.next_state) for r in ALERT_TRANSITIONS}
    assert rows == {
        ("open", "acknowledge", "acknowledged"),
        ("open", "explain", "explained"),
        ("acknowledged", "explain", "explained"),
        ("explained", "accept", "accepted"),
        ("explained", "uphold", "upheld"),
    }


def test_acknowledge_then_explain_then_accept_restores_the_points(
    alert: Alert, clerk: User, director: User, django_capture_on_commit_callbacks
) -> None:
    assert _points(clerk) == Decimal("2")
    assert [r.action for r in alert_actions(clerk, alert)] == ["acknowledge", "explain"]
    assert alert_actions(director, alert) == []
    done = alert_acknowledge(actor=clerk, alert=alert, expected_version=1)
    assert done.status == AlertStatus.ACKNOWLEDGED and done.acknowledged_at and done.version == 2
    done = alert_explain(actor=clerk, alert=alert, explanation="  系统故障\r\n已补办  ")
    assert done.status == AlertStatus.EXPLAINED and done.explanation == "系统故障\n已补办"
    assert done.explained_by == clerk and done.version == 3
    assert [r.action for r in alert_actions(director, done)] == ["accept", "uphold"]
    assert alert_actions(clerk, done) == []
    with django_capture_on_commit_callbacks(execute=True):
        done = alert_accept(actor=director, alert=alert, expected_version=3)
    assert done.status == AlertStatus.ACCEPTED and done.decided_by == director
    assert alert.status == AlertStatus.ACCEPTED  # the caller's object follows
    assert _points(clerk) == Decimal("0")
    assert not done.counts
    assert list(alert_timeline(alert).values_list("action", flat=True)) == [
        "alert.acknowledge",
        "alert.explain",
        "alert.accept",
    ]
    sms = OutboundMessage.objects.get(purpose="supervision.alert_decision")
    assert sms.to == "13900000001" and str(alert.pk) in sms.text


def test_explaining_an_open_alert_acknowledges_it_and_uphold_needs_a_note(
    alert: Alert, clerk: User, window_head: User, django_capture_on_commit_callbacks
) -> None:
    done = _explained(alert, clerk)
    assert done.acknowledged_at == done.explained_at
    with pytest.raises(ValidationError) as refused:
        alert_uphold(actor=window_head, alert=alert, note="  ")
    assert "note" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        done = alert_uphold(actor=window_head, alert=alert, note="理由不成立")
    assert done.status == AlertStatus.UPHELD and done.decision_note == "理由不成立"
    assert done.counts and _points(clerk) == Decimal("2")
    assert "理由不成立" in OutboundMessage.objects.get(purpose="supervision.alert_decision").text
    event = Event.objects.get(action="alert.uphold")
    assert event.actor == window_head and event.note == "理由不成立"


def test_explanation_is_required_and_at_most_2000_characters(alert: Alert, clerk: User) -> None:
    for text in ("", "   ", "长" * 2001, 5):
        with pytest.raises(ValidationError) as refused:
            alert_explain(actor=clerk, alert=alert, explanation=text)
        assert not isinstance(refused.value, Conflict)
        assert "explanation" in refused.value.message_dict
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and alert.version == 1
    assert alert_explain(actor=clerk, alert=alert, explanation="长" * 2000).status == "explained"


def test_the_department_leader_decides_the_head_too(
    hall_window: Window, clerk: User, dept_leader: User, window_head: User
) -> None:
    first, second = make_alert(hall_window, clerk), make_alert(hall_window, clerk)
    _explained(first, clerk), _explained(second, clerk)
    assert alert_accept(actor=dept_leader, alert=first).status == AlertStatus.ACCEPTED
    assert alert_accept(actor=window_head, alert=second, note="").status == AlertStatus.ACCEPTED


def test_wrong_person_is_refused_and_nothing_changes(
    alert: Alert,
    clerk: User,
    clerk_b: User,
    director: User,
    supervisor: User,
    window_head: User,
) -> None:
    # Deciders and watchers do not acknowledge or explain for the person responsible.
    for actor in (director, supervisor, window_head):
        with pytest.raises(ValidationError) as refused:
            alert_acknowledge(actor=actor, alert=alert)
        assert not isinstance(refused.value, Conflict)
    _explained(alert, clerk)
    # The person responsible never decides their own alert; a supervisor watches only.
    for actor in (clerk, supervisor):
        for decide in (alert_accept, alert_uphold):
            with pytest.raises(ValidationError) as refused:
                decide(actor=actor, alert=alert, note="自己通过")
            assert not isinstance(refused.value, Conflict)
    assert not can_decide_alert(clerk, alert) and can_answer_alert(clerk, alert)
    # The B clerk of the same post does not even see A's alert.
    with pytest.raises(Http404):
        alert_accept(actor=clerk_b, alert=alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPLAINED and alert.decided_by is None


def test_a_director_of_the_responsible_person_decides_only_others_alerts(
    hall_window: Window, director: User
) -> None:
    """A hall director responsible for an alert (e.g. a missing patrol round) may not accept it;
    another director of the center may."""
    own = make_alert(hall_window, director)
    _explained(own, director)
    with pytest.raises(ValidationError):
        alert_accept(actor=director, alert=own)
    other = make_staff(Role.DIRECTOR, hall_window.center, username="director2")
    assert alert_accept(actor=other, alert=own).status == AlertStatus.ACCEPTED


def test_wrong_state_and_stale_version_are_conflicts(
    alert: Alert, clerk: User, director: User
) -> None:
    with pytest.raises(Conflict):  # nothing explained yet
        alert_accept(actor=director, alert=alert)
    _explained(alert, clerk)
    with pytest.raises(Conflict):  # already explained
        alert_acknowledge(actor=clerk, alert=alert)
    with pytest.raises(Conflict) as stale:  # the page showed version 1
        alert_accept(actor=director, alert=alert, expected_version=1)
    assert "version" in stale.value.message_dict
    alert_uphold(actor=director, alert=alert, note="维持")
    with pytest.raises(Conflict):  # decided already
        alert_accept(actor=director, alert=alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.UPHELD
    assert Event.objects.filter(action__in=["alert.accept"]).count() == 0


def test_a_withdrawn_alert_takes_no_action(alert: Alert, clerk: User) -> None:
    Alert.objects.filter(pk=alert.pk).update(withdrawn_at=alert.raised_at)
    alert.refresh_from_db()
    with pytest.raises(Conflict):
        alert_acknowledge(actor=clerk, alert=alert)
    assert alert_actions(clerk, alert) == []


def test_outsiders_get_404(
    alert: Alert, clerk: User, outsider: User, town: Center, reviewer: User
) -> None:
    town_director = make_staff(Role.DIRECTOR, town, username="town_director")
    _explained(alert, clerk)
    for actor in (outsider, town_director, reviewer):
        with pytest.raises(Http404):
            access_alert(actor, alert.pk)
        with pytest.raises(Http404):
            alert_accept(actor=actor, alert=alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPLAINED


def test_each_role_s_inbox(
    hall_window: Window,
    county: Center,
    department,
    other_department,
    clerk: User,
    clerk_b: User,
    window_head: User,
    dept_leader: User,
    director: User,
    supervisor: User,
    outsider: User,
) -> None:
    mine = make_alert(hall_window, clerk)
    b_own = make_alert(hall_window, clerk_b, code="case_deadline.yellow")
    elsewhere = WindowFactory(center=county, number=9)
    elsewhere.departments.add(other_department)
    foreign = make_alert(elsewhere, None, code="post_empty.red")
    gone = make_alert(hall_window, clerk, withdrawn_at=mine.raised_at)

    def ids(user: User, **filters: object) -> set[int]:
        return set(alert_inbox(user, **filters).values_list("pk", flat=True))  # type: ignore[arg-type]

    assert ids(clerk) == {mine.pk}
    assert ids(clerk, live=None) == {mine.pk, gone.pk}
    assert ids(clerk, live=False) == {gone.pk}
    assert ids(window_head) == {mine.pk, b_own.pk}
    assert ids(dept_leader) == {mine.pk, b_own.pk}
    assert ids(director) == ids(supervisor) == {mine.pk, b_own.pk, foreign.pk}
    assert ids(director, level="yellow") == {b_own.pk}
    assert ids(director, box="mine") == set()
    assert ids(outsider) == set()
    _explained(mine, clerk)
    assert ids(director, box="decide") == {mine.pk}
    assert ids(director, status="explained") == {mine.pk}
    assert ids(clerk, box="decide") == set()  # their own is not theirs to decide


def test_every_action_has_an_event_registered() -> None:
    assert set(ACTION_EVENTS) == set(AlertAction)
    assert all(is_registered(name) for name in ACTION_EVENTS.values())
