"""Issue 21 item 1: window staff selection (nominate, interview, approve), readiness before the
first post, and the end of the trial. Ages are 周岁 on the day: turning the limit on the day
passes, one day later fails."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.cli.demo.selection import load_demo_selection
from govhall.core.idnumbers import id_check_character
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.org.models import Staff
from govhall.staffing.models.assignment import Assignment, ReturnDecision
from govhall.staffing.models.selection import ReadinessStep, SelectionStatus, StaffSelection
from govhall.staffing.queries.selection import readiness_missing, trials_to_decide
from govhall.staffing.selection_transitions import SelectionAction
from govhall.staffing.services.assignments import add_months, assignment_start
from govhall.staffing.services.selection import (
    readiness_record,
    selection_actions,
    selection_approve,
    selection_interview,
    selection_nominate,
    selection_refuse,
    selection_withdraw,
    trial_decide,
)
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def id_for(birth: datetime.date, serial: str = "123") -> str:
    first = "330102" + birth.strftime("%Y%m%d") + serial
    return first + id_check_character(first)


def years_before(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, -12 * years)


def nominate(leader, department, birth=None, on=DAY, **fields):
    birth = birth or years_before(on, 30)
    values = {
        "candidate_name": "陈晓",
        "id_number": id_for(birth),
        "letter_number": "市监推〔2026〕3号",
        "is_established": True,
        "post_kind": "ordinary",
    }
    values.update(fields)
    return selection_nominate(actor=leader, department=department, on=on, **values)


@pytest.mark.parametrize(
    ("kind", "limit", "section"),
    [("ordinary", 40, False), ("special", 45, False), ("head", 50, True)],
)
def test_age_limit_exactly_passes_one_day_over_fails(dept_leader, department, kind, limit, section):
    turned_today = years_before(DAY, limit)  # the limit-th birthday is the nomination day
    ok = nominate(dept_leader, department, turned_today, post_kind=kind, is_section_rank=section)
    assert ok.status == SelectionStatus.NOMINATED
    selection_withdraw(actor=dept_leader, selection=ok, note="重新推荐")
    with pytest.raises(ValidationError) as error:
        nominate(
            dept_leader,
            department,
            turned_today - datetime.timedelta(days=1),
            post_kind=kind,
            is_section_rank=section,
        )
    assert "birth_date" in error.value.message_dict


def test_established_rank_letter_and_id_birth_date_are_checked(dept_leader, department):
    with pytest.raises(ValidationError) as error:
        nominate(
            dept_leader,
            department,
            post_kind="head",
            is_established=False,
            is_section_rank=False,
            letter_number=" ",
            birth_date=datetime.date(1990, 1, 1),
        )
    assert set(error.value.message_dict) >= {
        "is_established",
        "is_section_rank",
        "letter_number",
        "birth_date",
    }
    with pytest.raises(ValidationError) as error:
        valid = id_for(datetime.date(1990, 1, 1))
        wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
        nominate(dept_leader, department, id_number=wrong)
    assert "id_number" in error.value.message_dict
    assert not Event.objects.filter(action="selection.nominate").exists()


def test_only_the_leader_of_the_department_nominates(
    director, clerk, county_leader, department, other_department
):
    other_leader = make_staff(Role.DEPT_LEADER, department.center, other_department)
    for actor in (director, clerk, county_leader, other_leader):
        with pytest.raises(ValidationError):
            nominate(actor, department)


def test_three_steps_with_their_roles(
    dept_leader, director, county_leader, clerk, outsider, department
):
    selection = nominate(dept_leader, department)
    assert [r.action for r in selection_actions(dept_leader, selection)] == ["withdraw"]
    assert [r.action for r in selection_actions(director, selection)] == [
        "interview_pass",
        "interview_fail",
    ]
    for actor in (county_leader, clerk, outsider, dept_leader):
        with pytest.raises(ValidationError):
            selection_interview(actor=actor, selection=selection, passed=True)
    selection = selection_interview(actor=director, selection=selection, passed=True, score="86.5")
    assert selection.status == SelectionStatus.INTERVIEWED
    for actor in (director, dept_leader, outsider):
        with pytest.raises(ValidationError):
            selection_approve(actor=actor, selection=selection)
    # Acting again on a step already passed is a conflict, not a 5xx.
    with pytest.raises(Conflict):
        selection_interview(actor=director, selection=selection, passed=True)
    approved = selection_approve(actor=county_leader, selection=selection, note="同意")
    assert approved.status == SelectionStatus.APPROVED
    person = approved.user
    assert person is not None
    staff = Staff.objects.get(user=person)
    assert staff.department == department and staff.is_window_staff
    assert list(person.groups.values_list("name", flat=True)) == ["clerk"]
    assert not person.has_usable_password()
    assert Event.objects.filter(action="selection.approve", actor=county_leader).exists()


def test_failed_interview_and_refusal_need_reasons(
    dept_leader, director, county_leader, department
):
    first = nominate(dept_leader, department)
    with pytest.raises(ValidationError):
        selection_interview(actor=director, selection=first, passed=False, notes="")
    failed = selection_interview(actor=director, selection=first, passed=False, notes="业务不熟")
    assert failed.status == SelectionStatus.REFUSED
    second = nominate(dept_leader, department, candidate_name="王五")
    selection_interview(actor=director, selection=second, passed=True)
    refused = selection_refuse(actor=county_leader, selection=second, note="暂缓")
    assert refused.status == SelectionStatus.REFUSED and refused.user is None


def test_approval_rechecks_the_age_on_its_day(dept_leader, director, county_leader, department):
    today = timezone.localdate()
    # 40 on the (earlier) nomination day, 40 and a day over by today.
    birth = years_before(today, 40) - datetime.timedelta(days=1)
    selection = nominate(dept_leader, department, birth, on=today - datetime.timedelta(days=1))
    selection_interview(actor=director, selection=selection, passed=True, interviewed_on=today)
    with pytest.raises(ValidationError) as error:
        selection_approve(actor=county_leader, selection=selection)
    assert "birth_date" in error.value.message_dict
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.INTERVIEWED


def approved_person(dept_leader, director, county_leader, department, kind="ordinary"):
    selection = nominate(
        dept_leader, department, on=timezone.localdate(), post_kind=kind, is_section_rank=True
    )
    selection_interview(actor=director, selection=selection, passed=True)
    return selection_approve(actor=county_leader, selection=selection)


def test_no_assignment_before_the_four_readiness_steps(
    dept_leader, director, county_leader, department, clerk
):
    selection = approved_person(dept_leader, director, county_leader, department)
    start = timezone.localdate()
    readiness_record(actor=director, selection=selection, step="qualification", result="合格")
    readiness_record(actor=director, selection=selection, step="policy", hours="4")
    with pytest.raises(Conflict):
        readiness_record(actor=director, selection=selection, step="policy")
    with pytest.raises(ValidationError):
        readiness_record(actor=dept_leader, selection=selection, step="business")
    with pytest.raises(ValidationError) as error:
        assignment_start(
            actor=director, user=selection.user, department=department, starts_on=start
        )
    text = " ".join(error.value.messages)
    assert str(ReadinessStep.BUSINESS.label) in text and str(ReadinessStep.ETIQUETTE.label) in text
    assert str(ReadinessStep.POLICY.label) not in text
    readiness_record(actor=director, selection=selection, step="business")
    readiness_record(actor=director, selection=selection, step="etiquette")
    assert assignment_start(
        actor=director, user=selection.user, department=department, starts_on=start
    )
    # Staff without a selection are not affected.
    assert assignment_start(actor=director, user=clerk, department=department, starts_on=start)


def _on_trial(user, department, trial_ends_on):
    return Assignment.objects.create(
        user=user,
        center=department.center,
        department=department,
        starts_on=trial_ends_on - datetime.timedelta(days=30),
        trial_ends_on=trial_ends_on,
    )


def test_trial_kept_or_returned_by_the_director(
    director, dept_leader, clerk, window_head, department
):
    today = timezone.localdate()
    early = _on_trial(clerk, department, today + datetime.timedelta(days=3))
    due = _on_trial(window_head, department, today)
    assert list(trials_to_decide(department.center, today)) == [due, early]
    with pytest.raises(Conflict):
        trial_decide(actor=director, assignment=early, outcome="kept")
    with pytest.raises(ValidationError):
        trial_decide(actor=dept_leader, assignment=due, outcome="kept")
    with pytest.raises(ValidationError):
        trial_decide(actor=director, assignment=due, outcome="returned", note="")
    decision = trial_decide(actor=director, assignment=due, outcome="returned", note="不能胜任")
    assert decision.outcome == "returned"
    due.refresh_from_db()
    assert due.ends_on == today
    notice = ReturnDecision.objects.get(user=window_head)
    assert notice.assignment == due and "试用" in notice.reasons
    assert list(trials_to_decide(department.center, today)) == [early]


def test_withdraw_only_by_the_department_and_before_approval(
    dept_leader, director, county_leader, department
):
    selection = approved_person(dept_leader, director, county_leader, department)
    with pytest.raises(Conflict):
        selection_withdraw(actor=dept_leader, selection=selection, note="x")
    other = nominate(
        dept_leader, department, candidate_name="赵六", birth=datetime.date(1995, 5, 5)
    )
    with pytest.raises(ValidationError):
        selection_withdraw(actor=director, selection=other, note="x")
    assert SelectionAction.WITHDRAW in [r.action for r in selection_actions(dept_leader, other)]


def test_demo_has_each_step_once(dept_leader, director, county_leader, department):
    WindowFactory(center=department.center).departments.add(department)
    assert load_demo_selection() == 4
    statuses = list(StaffSelection.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["nominated", "interviewed", "approved", "approved"]
    ready = StaffSelection.objects.order_by("pk")[2]
    assert len(readiness_missing(ready)) == 2
    today = timezone.localdate()
    [trial] = trials_to_decide(department.center, today)
    assert today < trial.trial_ends_on <= today + datetime.timedelta(days=7)
    assert load_demo_selection() == 0
