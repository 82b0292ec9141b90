"""Hall notices in the workbench (公告, issue 18 item 5): a center's managers write, publish and
delete them, each write an event; nobody outside the center's subtree reaches one (404); the
portal's disclosure page and the board show the published ones."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.frontdesk.models import HallNotice
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _form(**fields: object) -> dict[str, object]:
    start = timezone.localtime() - datetime.timedelta(hours=1)
    return {
        "title": "周末延时服务",
        "body": "每周六上午9:00-12:00照常办理。",
        "starts_at": start.strftime(FORMAT),
        "ends_at": "",
        "position": "1",
        "is_published": "on",
        **fields,
    }


@pytest.fixture
def county_notice(county):  # type: ignore[no-untyped-def]
    return HallNotice.objects.create(
        center=county, title="县中心公告", starts_at=timezone.now(), is_published=True
    )


@pytest.fixture
def town_director(town):  # type: ignore[no-untyped-def]
    return make_staff(Role.DIRECTOR, town, username="town_director")


def test_director_creates_edits_and_deletes_a_notice_with_events(client_as, director, county):
    client = client_as(director)
    assert client.get(reverse("workbench:notices")).status_code == 200
    response = client.post(f"{reverse('workbench:notice_new')}?center={county.pk}", _form())
    assert response.status_code == 302
    notice = HallNotice.objects.get()
    assert (notice.center, notice.is_published, notice.position) == (county, True, 1)
    assert Event.objects.filter(action="hall_notice.create", object_id=str(notice.pk)).exists()
    public = client.get(reverse("portal:disclosure_center", args=[county.code])).content.decode()
    assert f'data-notice="{notice.pk}"' in public and "周末延时服务" in public

    edit = reverse("workbench:notice", kwargs={"notice_id": notice.pk})
    assert "周末延时服务" in client.get(edit).content.decode()
    assert client.post(edit, _form(title="春节值班安排", is_published="")).status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.is_published) == ("春节值班安排", False)
    changed = Event.objects.get(action="hall_notice.update", object_id=str(notice.pk))
    assert changed.data["title"] == ["周末延时服务", "春节值班安排"]
    public = client.get(reverse("portal:disclosure_center", args=[county.code])).content.decode()
    assert f'data-notice="{notice.pk}"' not in public

    delete = reverse("workbench:notice_delete", kwargs={"notice_id": notice.pk})
    assert client.post(delete).status_code == 302
    assert not HallNotice.objects.exists()
    assert Event.objects.filter(action="hall_notice.delete", object_id=str(notice.pk)).exists()


def test_a_notice_must_end_after_it_starts_nothing_saved(client_as, director, county):
    client = client_as(director)
    start = timezone.localtime()
    response = client.post(
        f"{reverse('workbench:notice_new')}?center={county.pk}",
        _form(
            starts_at=start.strftime(FORMAT),
            ends_at=(start - datetime.timedelta(hours=2)).strftime(FORMAT),
        ),
    )
    assert response.status_code == 400
    assert "The notice must end after it starts." in str(response.context["form"].errors) or (
        "结束" in response.content.decode()
    )
    assert not HallNotice.objects.exists()
    assert not Event.objects.filter(action="hall_notice.create").exists()


def test_a_town_director_cannot_reach_the_countys_notices(
    client_as, town_director, town, county, county_notice
):
    client = client_as(town_director)
    edit = reverse("workbench:notice", kwargs={"notice_id": county_notice.pk})
    assert client.get(edit).status_code == 404
    assert client.post(edit, _form(title="改掉")).status_code == 404
    delete = reverse("workbench:notice_delete", kwargs={"notice_id": county_notice.pk})
    assert client.post(delete).status_code == 404
    new = f"{reverse('workbench:notice_new')}?center={county.pk}"
    assert client.post(new, _form()).status_code == 404
    assert client.get(f"{reverse('workbench:notices')}?center={county.pk}").status_code == 404
    county_notice.refresh_from_db()
    assert county_notice.title == "县中心公告"
    assert HallNotice.objects.count() == 1
    # Their own town's notices they do write.
    own = f"{reverse('workbench:notice_new')}?center={town.pk}"
    assert client.post(own, _form()).status_code == 302
    assert HallNotice.objects.filter(center=town).count() == 1


def test_the_county_director_manages_the_towns_notices(client_as, director, town):
    notice = HallNotice.objects.create(center=town, title="镇公告", starts_at=timezone.now())
    client = client_as(director)
    edit = reverse("workbench:notice", kwargs={"notice_id": notice.pk})
    assert client.post(edit, _form(title="镇公告（更新）")).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "镇公告（更新）"


@pytest.mark.parametrize("who", ["clerk", "window_head", "supervisor", "outsider"])
def test_others_get_404(request, client_as, who, county_notice):
    client = client_as(request.getfixturevalue(who))
    assert client.get(reverse("workbench:notices")).status_code == 404 or who == "outsider"
    edit = reverse("workbench:notice", kwargs={"notice_id": county_notice.pk})
    assert client.get(edit).status_code == 404
    delete = reverse("workbench:notice_delete", kwargs={"notice_id": county_notice.pk})
    assert client.post(delete).status_code == 404
    assert HallNotice.objects.filter(pk=county_notice.pk).exists()
