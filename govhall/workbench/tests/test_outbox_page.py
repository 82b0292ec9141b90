"""The outbox page: notifications of the user's centers, phone numbers masked, for managers and
supervisors only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from govhall.core.models import OutboundMessage
from govhall.core.notify import send_sms

pytestmark = pytest.mark.django_db
OUTBOX = reverse("workbench:outbox")


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-message="(\d+)"', response.content.decode())]


@pytest.fixture
def ours(county) -> OutboundMessage:
    return send_sms(
        to="13812345678",
        text="【示例县政务服务中心】您申请的食品经营许可已受理。",
        purpose="case.accepted",
        center_id=county.pk,
    )


@pytest.fixture
def theirs(other_county) -> OutboundMessage:
    return send_sms(
        to="13987654321", text="别县的短信", purpose="case.accepted", center_id=other_county.pk
    )


def test_managers_and_supervisors_see_their_centers_messages_masked(
    client_as, director, admin_user, supervisor, ours, theirs
):
    for user in (director, admin_user, supervisor):
        response = client_as(user).get(OUTBOX)
        assert response.status_code == 200
        assert listed(response) == [ours.pk]
        html = response.content.decode()
        assert "138****5678" in html and "13812345678" not in html
        assert "食品经营许可已受理" in html and "case.accepted" in html
        assert 'data-status="stored"' in html


def test_town_messages_reach_the_county_not_the_other_way(client_as, director, town, ours):
    from govhall.core.roles import Role
    from govhall.testing.factories import make_staff

    town_message = send_sms(to="13700001111", text="镇里", purpose="x", center_id=town.pk)
    assert set(listed(client_as(director).get(OUTBOX))) == {ours.pk, town_message.pk}
    town_director = make_staff(Role.DIRECTOR, town, username="town_director")
    assert listed(client_as(town_director).get(OUTBOX)) == [town_message.pk]


def test_outsider_sees_only_their_own(client_as, outsider, ours, theirs):
    response = client_as(outsider).get(OUTBOX)
    assert response.status_code == 200 and listed(response) == [theirs.pk]
    assert "138****5678" not in response.content.decode()


def test_other_roles_get_404(client_as, clerk, approver, guide, ours):
    for user in (clerk, approver, guide):
        assert client_as(user).get(OUTBOX).status_code == 404


def test_login_required(client):
    assert client.get(OUTBOX).status_code == 302


def test_outbox_paginates(client_as, director, county, django_assert_max_num_queries):
    for n in range(53):
        send_sms(to="13800000000", text=f"第{n}条", purpose="t", center_id=county.pk)
    client = client_as(director)
    client.get(OUTBOX)
    with django_assert_max_num_queries(25):
        first = client.get(OUTBOX)
    assert len(listed(first)) == 50 and "page=2" in first.content.decode()
    assert len(listed(client.get(OUTBOX, {"page": 2}))) == 3
