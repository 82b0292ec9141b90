"""The menu asks the pages' own questions: an entry is shown exactly to those whose page answers
200 (issue 13 item 1)."""

import pytest
from django.urls import reverse

from govhall.workbench.navigation import NAV

pytestmark = pytest.mark.django_db

FIXTURE_USERS = (
    "director",
    "admin_user",
    "guide",
    "clerk",
    "window_head",
    "reviewer",
    "approver",
    "supervisor",
    "dept_leader",
    "social_supervisor",
    "outsider",
    "agent",
)


@pytest.mark.parametrize("username", FIXTURE_USERS)
def test_menu_entry_shown_iff_its_page_answers_200(request, client_as, username):
    user = request.getfixturevalue(username)
    client = client_as(user)
    home = client.get(reverse("workbench:home"))
    assert home.status_code == 200
    shown = {entry["url"] for entry in home.context["nav_entries"]}
    mismatches = []
    for entry in NAV:
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        if (url in shown) != (status == 200):
            mismatches.append((entry.url_name, url in shown, status))
    assert mismatches == [], mismatches


def test_todays_line_is_in_the_menu_of_every_ticket_actor(client_as, clerk, guide, supervisor):
    line = reverse("workbench:queue_line")
    for user, expected in ((clerk, True), (guide, True), (supervisor, False)):
        menu = {
            e["url"] for e in client_as(user).get(reverse("workbench:home")).context["nav_entries"]
        }
        assert (line in menu) is expected, user.username


@pytest.mark.parametrize("username", FIXTURE_USERS)
def test_every_group_shown_has_its_heading_once(request, client_as, username):
    """A group's heading shows over the first entry of the group the user may open, even when
    the entry that names it is not theirs (a department leader sees the citizens' voice without
    the rating screens)."""
    user = request.getfixturevalue(username)
    entries = client_as(user).get(reverse("workbench:home")).context["nav_entries"]
    by_url = {reverse(entry.url_name): entry for entry in NAV}
    group_of: dict[str, str] = {}
    current = ""
    for entry in NAV:
        current = str(entry.section) or current
        group_of[reverse(entry.url_name)] = current
    headings = [str(e["section"]) for e in entries if e.get("section")]
    groups_shown = list(dict.fromkeys(group_of[e["url"]] for e in entries if e["url"] in by_url))
    assert headings == [group for group in groups_shown if group]
