"""Petition pages (信访): who opens which page, the petitioner's identity per role (an accuser's
kept secret, full views logged, lists masked), the register form, the steps and the prints."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.feedback.models.petitions import Petition, PetitionStatus
from govhall.feedback.services.petitions import petition_assign, reception_schedule
from govhall.supervision.models import Alert
from govhall.testing.factories import DepartmentFactory
from govhall.testing.petitions import ID_NUMBER, PHONE, make_petition
from govhall.testing.supervision import ensure_default_rules

pytestmark = pytest.mark.django_db

NAME = "张三丰"
ADDRESS = "城关镇幸福村三组"


@pytest.fixture(autouse=True)
def _rules(db: None) -> None:
    ensure_default_rules()  # the supervision rules, flushed by any transactional test before


def _views(petition: Petition):  # type: ignore[no-untyped-def]
    return Event.objects.filter(action="feedback.view_personal_data", object_id=str(petition.pk))


@pytest.mark.parametrize(
    ("username", "list_status", "register_status", "receptions_status"),
    [
        ("director", 200, 200, 200),
        ("admin_user", 200, 200, 200),
        ("supervisor", 200, 200, 200),
        ("dept_leader", 200, 404, 200),
        ("clerk", 200, 404, 404),
        ("reviewer", 200, 404, 404),
        ("guide", 404, 404, 404),
        ("social_supervisor", 404, 404, 404),
        ("outsider", 200, 200, 200),
    ],
)
def test_pages_per_fixture_user(
    request, client_as, username, list_status, register_status, receptions_status
):
    client = client_as(request.getfixturevalue(username))
    assert client.get(reverse("workbench:petitions")).status_code == list_status
    assert client.get(reverse("workbench:petition_register")).status_code == register_status
    assert client.get(reverse("workbench:petition_receptions")).status_code == receptions_status


def test_register_through_the_form_alerts_leaders_for_a_collective_visit(
    client_as, director, county
):
    client = client_as(director)
    page = client.get(reverse("workbench:petition_register"))
    assert b'id="petition-register"' in page.content
    response = client.post(
        reverse("workbench:petition_register"),
        {
            "center": county.pk,
            "channel": "visit",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": NAME,
            "gender": "male",
            "age": "56",
            "occupation": "农民",
            "political_status": "masses",
            "address_or_employer": ADDRESS,
            "phone": PHONE,
            "id_number": ID_NUMBER,
            "people_count": "12",
            "representatives": "5",
            "matter": "征地补偿款未发放",
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert Alert.objects.filter(
        subject_key=f"petition:{petition.pk}", rule__code="petition_major.serious"
    ).exists()


def test_register_form_refuses_six_representatives(client_as, director, county):
    response = client_as(director).post(
        reverse("workbench:petition_register"),
        {
            "center": county.pk,
            "channel": "visit",
            "name": NAME,
            "people_count": "20",
            "representatives": "6",
            "matter": "集体上访",
        },
    )
    assert response.status_code == 200
    assert "representatives" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_non_accusation_identity_full_to_handlers_masked_to_department(
    client_as, director, supervisor, clerk, department, county
):
    petition = make_petition(director, county)
    petition_assign(actor=director, petition=petition, version=1, department=department)
    url = reverse("workbench:petition", args=[petition.pk])
    for user in (director, supervisor):
        page = client_as(user).get(url)
        assert NAME in page.content.decode() and PHONE in page.content.decode()
    assert _views(petition).count() == 2
    page = client_as(clerk).get(url).content.decode()
    assert NAME not in page and PHONE not in page and "张*丰" in page
    assert "反映村道路硬化" in page
    assert _views(petition).count() == 2


def test_accuser_identity_only_for_management_and_the_handler(
    client_as, director, admin_user, supervisor, clerk, dept_leader, department, county
):
    from govhall.core.roles import Role
    from govhall.testing.factories import make_staff

    handler = make_staff(Role.SUPERVISOR, county, username="handler")
    petition = make_petition(handler, county, is_accusation=True, matter="举报某窗口收受红包")
    petition_assign(actor=handler, petition=petition, version=1, department=department)
    url = reverse("workbench:petition", args=[petition.pk])
    for user in (director, admin_user, handler):
        page = client_as(user).get(url).content.decode()
        assert NAME in page and ID_NUMBER in page and ADDRESS in page, user.username
    for user in (supervisor, clerk, dept_leader):
        page = client_as(user).get(url).content.decode()
        assert NAME not in page and "张*丰" not in page and PHONE not in page, user.username
        assert ID_NUMBER not in page and ADDRESS not in page
        assert "举报某窗口收受红包" in page and 'id="petitioner-secret"' in page
    # Lists never show it, not even to management.
    listing = client_as(director).get(reverse("workbench:petitions")).content.decode()
    assert petition.number in listing and NAME not in listing and "张*丰" not in listing
    # The 交办单 never carries the accuser's identity, whoever prints it.
    for user in (director, handler, clerk):
        sheet = client_as(user).get(
            reverse("workbench:petition_print", args=[petition.pk, "assignment"])
        )
        assert sheet.status_code == 200
        text = sheet.content.decode()
        assert "举报某窗口收受红包" in text
        assert NAME not in text and PHONE not in text and ID_NUMBER not in text


def test_list_masks_orders_overdue_first_and_marks_collective(client_as, director, county):
    import datetime

    old = make_petition(director, county, day=timezone.localdate() - datetime.timedelta(days=20))
    fresh = make_petition(director, county, people_count=6, representatives=2)
    page = client_as(director).get(reverse("workbench:petitions"))
    content = page.content.decode()
    assert NAME not in content and "张*丰" in content and "139****5678" in content
    rows = [row["petition"].pk for row in page.context["rows"]]
    assert rows == [old.pk, fresh.pk]
    assert page.context["rows"][0]["late"] and page.context["rows"][1]["collective"]
    only = client_as(director).get(reverse("workbench:petitions") + "?overdue=on")
    assert [row["petition"].pk for row in only.context["rows"]] == [old.pk]


def test_outsider_and_unassigned_department_staff_get_404(
    client_as, director, outsider, clerk, county
):
    petition = make_petition(director, county)
    url = reverse("workbench:petition", args=[petition.pk])
    assert client_as(outsider).get(url).status_code == 404
    assert client_as(clerk).get(url).status_code == 404


def test_steps_through_the_page_buttons_and_prints(client_as, director, clerk, department, county):
    petition = make_petition(director, county)
    client = client_as(director)
    page = client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    for action in ("answer_on_spot", "notify", "accept", "refuse", "assign"):
        assert f'data-action="{action}"' in page
    assert 'data-action="close"' not in page
    act = lambda action, data: client.post(  # noqa: E731
        reverse("workbench:petition_action", args=[petition.pk, action]), data
    )
    act("accept", {"version": 1, "accept-notice": "予以受理"})
    act("assign", {"version": 2, "assign-department": department.pk, "assign-instructions": "核实"})
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ACCEPTED and petition.assigned_department == department
    stale = act("close", {"version": 1, "close-opinion": "x"})
    assert stale.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ACCEPTED
    assert (
        client.get(
            reverse("workbench:petition_print", args=[petition.pk, "acceptance"])
        ).status_code
        == 200
    )
    sheet = client.get(reverse("workbench:petition_print", args=[petition.pk, "assignment"]))
    assert "a4" in sheet.content.decode().lower() or "sheet" in sheet.content.decode()
    assert "核实" in sheet.content.decode()
    # Department staff read it and print the 交办单 but cannot act.
    clerk_client = client_as(clerk)
    assert (
        clerk_client.get(
            reverse("workbench:petition_print", args=[petition.pk, "assignment"])
        ).status_code
        == 200
    )
    assert (
        clerk_client.post(
            reverse("workbench:petition_action", args=[petition.pk, "close"]),
            {"version": 3, "close-opinion": "x"},
        ).status_code
        == 404
    )


def test_reception_page_schedules_and_shows_due(client_as, director, dept_leader, county):
    client = client_as(director)
    day = timezone.localdate() + timezone.timedelta(days=2)
    response = client.post(
        reverse("workbench:petition_receptions"),
        {"center": county.pk, "leader": dept_leader.pk, "day": day.isoformat(), "place": "接访室"},
    )
    assert response.status_code == 302
    petition = make_petition(director, county, is_major=True)
    page = client.get(reverse("workbench:petition_receptions")).content.decode()
    assert petition.number in page and dept_leader.display_name in page
    reception = petition_reception_day = reception_schedule(
        actor=director, center=county, leader=director, day=day, place=""
    )
    assert petition_reception_day.pk
    client.post(
        reverse("workbench:petition_reception", args=[petition.pk]), {"reception": reception.pk}
    )
    assert reception.petitions.filter(pk=petition.pk).exists()
    # The leader sees the petition received on their day (matter; identity masked).
    leader_page = client_as(director).get(reverse("workbench:petition", args=[petition.pk]))
    assert leader_page.status_code == 200


def test_register_and_list_labels_are_the_petition_s_own_words(client_as, director):
    """Walk-through finding: the channel 'Letter' read 字母, 'Phone' 咨询电话 and the list's
    end date 收件人 (words of the queue and the outbox)."""
    register = client_as(director).get(reverse("workbench:petition_register")).content.decode()
    assert "字母" not in register and "咨询电话" not in register
    assert "信函" in register and ">电话<" in register
    listing = client_as(director).get(reverse("workbench:petitions")).content.decode()
    assert "收件人" not in listing and "截止日期" in listing


def test_register_names_the_center_of_each_department(client_as, director, county, town):
    """Walk-through finding: the towns' 农业农村办公室 appeared three times, indistinguishable."""
    DepartmentFactory(center=town, name="农业农村办公室")
    register = client_as(director).get(reverse("workbench:petition_register")).content.decode()
    assert f"农业农村办公室 · {town.name}<" in register


def test_register_offers_cancel_not_a_second_petitions_button(client_as, director):
    """Walk-through finding: beside 登记 sat a button reading 信访, which only went back."""
    register = client_as(director).get(reverse("workbench:petition_register")).content.decode()
    assert 'id="petition-cancel"' in register and ">取消<" in register
