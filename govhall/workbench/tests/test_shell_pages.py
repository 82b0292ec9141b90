"""The workbench shell: login, home, the menu by role, the event log, the language switch."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from govhall.core.events import event_label, record_event
from govhall.core.models import Event
from govhall.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG_LOGIN = ("Wrong username or password", "用户名或密码错误")


def menu_urls(response) -> set[str]:
    return {entry["url"] for entry in response.context["nav_entries"]}


def test_login_page_and_successful_login(client, director):
    page = client.get(reverse("workbench:login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(
        reverse("workbench:login"), {"username": "director", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")
    home = client.get(reverse("workbench:home"))
    assert home.status_code == 200
    assert director.display_name in home.content.decode()


def test_wrong_password_shows_a_clear_error(client, director):
    response = client.post(
        reverse("workbench:login"), {"username": "director", "password": "not-it"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert any(message in content for message in WRONG_LOGIN)
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, director):
    target = reverse("workbench:windows")
    response = client.post(
        reverse("workbench:login") + f"?next={target}",
        {"username": "director", "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_workbench_needs_login(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))


def test_logout(client_as, director):
    client = client_as(director)
    response = client.post(reverse("workbench:logout"))
    assert response.status_code == 302
    assert client.get(reverse("workbench:home")).status_code == 302


def test_home_shows_work_not_figures_of_the_scope(client_as, director, county, town, department):
    """Issue 17 item 7: the home lists what waits (workbench/tests/test_home.py), not counts
    of centers and departments."""
    response = client_as(director).get(reverse("workbench:home"))
    assert "figures" not in response.context and "work" in response.context
    assert county.name in response.content.decode()  # the user's center in the top bar


def test_menu_depends_on_role(client_as, director, guide, supervisor, window_head):
    staff_url = reverse("workbench:staff")
    events_url = reverse("workbench:events")
    centers_url = reverse("workbench:centers")

    director_menu = menu_urls(client_as(director).get(reverse("workbench:home")))
    assert {staff_url, events_url, centers_url} <= director_menu
    assert reverse("workbench:catalog_import") in director_menu

    guide_menu = menu_urls(client_as(guide).get(reverse("workbench:home")))
    assert centers_url in guide_menu
    assert staff_url not in guide_menu and events_url not in guide_menu
    assert reverse("workbench:catalog_import") not in guide_menu

    supervisor_menu = menu_urls(client_as(supervisor).get(reverse("workbench:home")))
    assert events_url in supervisor_menu and staff_url in supervisor_menu

    head_menu = menu_urls(client_as(window_head).get(reverse("workbench:home")))
    assert staff_url in head_menu and events_url not in head_menu


def test_menu_marks_the_current_page(client_as, director):
    response = client_as(director).get(reverse("workbench:windows"))
    active = [entry["url"] for entry in response.context["nav_entries"] if entry["active"]]
    assert active == [reverse("workbench:windows")]
    assert 'aria-current="page"' in response.content.decode()


def test_administration_link_only_for_django_staff(client_as, director, county):
    assert reverse("admin:index") not in menu_urls(
        client_as(director).get(reverse("workbench:home"))
    )
    director.is_staff = True
    director.save()
    assert reverse("admin:index") in menu_urls(client_as(director).get(reverse("workbench:home")))


def test_superuser_without_workplace_gets_every_entry(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 200
    assert reverse("workbench:events") in menu_urls(response)


def test_event_log_shows_the_scope_only(
    client_as, director, supervisor, county, town, other_county
):
    record_event(
        actor=director, action="center.update", obj=town, center_id=town.pk, note="own-town"
    )
    record_event(
        actor=None,
        action="center.update",
        obj=other_county,
        center_id=other_county.pk,
        note="foreign",
    )
    for user in (director, supervisor):
        content = client_as(user).get(reverse("workbench:events")).content.decode()
        assert "own-town" in content and "foreign" not in content


def test_event_log_filters_by_action(client_as, director, county):
    record_event(
        actor=director, action="window.create", obj=county, center_id=county.pk, note="w-1"
    )
    record_event(actor=director, action="post.assign", obj=county, center_id=county.pk, note="p-1")
    content = (
        client_as(director)
        .get(reverse("workbench:events") + "?action=post.assign")
        .content.decode()
    )
    assert "p-1" in content and "w-1" not in content


def test_event_log_names_events_as_people_read_them(client_as, director, county):
    record_event(actor=director, action="post.assign", obj=county, center_id=county.pk)
    with translation.override("zh-hans"):
        label = event_label("post.assign")
    content = (
        client_as(director)
        .get(reverse("workbench:events") + "?action=post.assign", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert label != "post.assign"
    assert f'<td title="post.assign">{label}</td>' in content
    assert f'<option value="post.assign" selected>{label}</option>' in content
    assert ">post.assign<" not in content


def test_event_log_is_404_for_other_roles(client_as, guide, clerk, window_head):
    for user in (guide, clerk, window_head):
        assert client_as(user).get(reverse("workbench:events")).status_code == 404


def test_event_log_paginates(client_as, director, county):
    for n in range(54):  # plus the county's own center.create
        record_event(
            actor=director, action="center.update", obj=county, center_id=county.pk, note=f"n{n}"
        )
    first = client_as(director).get(reverse("workbench:events"))
    assert len(first.context["page_obj"].object_list) == 50
    second = client_as(director).get(reverse("workbench:events") + "?page=2")
    assert len(second.context["page_obj"].object_list) == 5


def test_language_switch_round_trip(client):
    login_url = reverse("workbench:login")
    page = client.get(login_url)
    assert '<html lang="zh-CN">' in page.content.decode()
    assert 'value="en"' in page.content.decode()  # the switch offers English
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert response["Location"] == login_url
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(login_url).content.decode()
    assert '<html lang="en">' in english
    assert 'value="zh-hans"' in english  # and now offers Chinese back
    client.post(reverse("set_language"), {"language": "zh-hans", "next": login_url})
    assert '<html lang="zh-CN">' in client.get(login_url).content.decode()


def test_event_log_pager_keeps_the_filter_encoded(client_as, director, county):
    # History may hold any name (rows written before the registry): stored as such, not through
    # record_event, which accepts registered names only.
    Event.objects.bulk_create(
        Event(
            actor=director,
            action="a&b",
            object_type="org.center",
            object_id=str(county.pk),
            object_repr=str(county),
            center_id=county.pk,
            note=f"n{n}",
        )
        for n in range(51)
    )
    content = (
        client_as(director).get(reverse("workbench:events") + "?action=a%26b").content.decode()
    )
    assert "?action=a%26b&amp;page=2" in content


def test_menu_marks_exactly_the_current_page(client_as, clerk):
    client = client_as(clerk)
    for path in ("/staff/", "/staff/leave/", "/staff/leave/calendar/"):
        active = [e["url"] for e in client.get(path).context["nav_entries"] if e["active"]]
        assert active == [path]


def test_menu_groups_staffing_pages_under_a_heading(client_as, clerk):
    page = client_as(clerk).get("/staff/").content.decode()
    assert 'class="nav-section"' in page
    assert "/staff/leave/" in page and "/staff/attendance/" in page
