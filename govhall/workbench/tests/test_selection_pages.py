"""Issue 21 item 1: the selection pages as a new user walks them — nominate, interview and
approve a new clerk, record the training, end the trial — and who may open what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.core.models import Event
from govhall.staffing.models.assignment import Assignment, ReturnDecision
from govhall.staffing.models.selection import StaffSelection
from govhall.staffing.services.selection import selection_nominate

pytestmark = pytest.mark.django_db


def id_for(birth: datetime.date) -> str:
    first = "330102" + birth.strftime("%Y%m%d") + "217"
    return first + id_check_character(first)


def test_nominate_interview_approve_train_and_end_the_trial(
    client_as, dept_leader, director, county_leader, department
):
    leader = client_as(dept_leader)
    assert leader.get(reverse("workbench:selections")).status_code == 200
    form = leader.get(reverse("workbench:selection_nominate"))
    assert form.status_code == 200
    birth = datetime.date(1994, 6, 1)
    data = {
        "candidate_name": "林小雨",
        "id_number": id_for(birth),
        "phone": "13912345678",
        "post_kind": "ordinary",
        "is_established": "1",
        "letter_number": "市监推〔2026〕8号",
    }
    bad = leader.post(reverse("workbench:selection_nominate"), {**data, "letter_number": ""})
    assert bad.status_code == 200
    assert not StaffSelection.objects.exists()
    done = leader.post(reverse("workbench:selection_nominate"), data)
    selection = StaffSelection.objects.get()
    assert done.status_code == 302
    listing = leader.get(reverse("workbench:selections")).content.decode()
    assert id_for(birth) not in listing and "13912345678" not in listing

    chief = client_as(director)
    page = chief.get(reverse("workbench:selection", args=[selection.pk])).content.decode()
    assert 'data-action="interview_pass"' in page
    chief.post(
        reverse("workbench:selection_act", args=[selection.pk, "interview_pass"]),
        {"score": "88", "notes": "表达清楚"},
    )
    # The director cannot approve: refused, nothing changed.
    chief.post(reverse("workbench:selection_act", args=[selection.pk, "approve"]), {})
    selection.refresh_from_db()
    assert selection.status == "interviewed"
    client_as(county_leader).post(
        reverse("workbench:selection_act", args=[selection.pk, "approve"]), {"note": "同意"}
    )
    selection.refresh_from_db()
    assert selection.status == "approved" and selection.user is not None
    chief = client_as(director)  # one test client: log the director in again
    for step in ("qualification", "policy", "business", "etiquette"):
        chief.post(reverse("workbench:selection_readiness", args=[selection.pk]), {"step": step})
    assert selection.readiness.count() == 4

    printed = chief.get(reverse("workbench:selection_form", args=[selection.pk]))
    assert id_for(birth) in printed.content.decode()
    assert Event.objects.filter(action="selection.view_full", actor=director).count() == 1

    today = timezone.localdate()
    assignment = Assignment.objects.create(
        user=selection.user,
        center=department.center,
        department=department,
        starts_on=today - datetime.timedelta(days=31),
        trial_ends_on=today,
    )
    assert 'id="trials"' in chief.get(reverse("workbench:selections")).content.decode()
    answer = chief.post(
        reverse("workbench:trial_decide", args=[assignment.pk]),
        {"outcome": "returned", "note": "不能胜任"},
    )
    notice = ReturnDecision.objects.get(assignment=assignment)
    assert answer.status_code == 302 and answer["Location"].endswith(
        reverse("workbench:return_notice", args=[notice.pk])
    )


def test_who_opens_what(client_as, dept_leader, director, clerk, outsider, department):
    selection = selection_nominate(
        actor=dept_leader,
        department=department,
        candidate_name="周一",
        id_number=id_for(datetime.date(1996, 2, 3)),
        letter_number="推1号",
        is_established=True,
    )
    detail = reverse("workbench:selection", args=[selection.pk])
    assert client_as(clerk).get(reverse("workbench:selections")).status_code == 404
    assert client_as(clerk).get(detail).status_code == 404
    assert client_as(outsider).get(detail).status_code == 404
    assert client_as(director).get(reverse("workbench:selection_nominate")).status_code == 404
    page = client_as(dept_leader).get(detail).content.decode()
    assert 'data-action="withdraw"' in page and 'data-action="approve"' not in page
