"""The workbench page of rating screens (评价器, issue 15 item 1): the windows a user manages with
their screens; adding one shows its pairing code, link and QR code; revoking; nobody else's
window."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.feedback.models import RatingScreen
from govhall.feedback.services.rating_screens import rating_screen_create

pytestmark = pytest.mark.django_db

LIST = "/staff/feedback/screens/"


def test_director_adds_a_screen_and_sees_its_pairing_code(
    client_as, director, hall_window, second_window
):
    client = client_as(director)
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-window="{hall_window.pk}"' in html and f'data-window="{second_window.pk}"' in html
    response = client.post(
        f"/staff/feedback/screens/window/{hall_window.pk}/add/", {"label": "平板01"}
    )
    screen = RatingScreen.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/staff/feedback/screens/{screen.pk}/"
    )
    assert screen.label == "平板01" and screen.window == hall_window and screen.pairing_code
    detail = client.get(response["Location"]).content.decode()
    assert screen.pairing_code in detail
    assert f"/rating-screen/pair/?code={screen.pairing_code}" in detail
    assert "<svg" in detail  # the QR code for the tablet
    old_code = screen.pairing_code
    client.post(f"/staff/feedback/screens/{screen.pk}/code/")
    screen.refresh_from_db()
    assert screen.pairing_code and screen.pairing_code != old_code
    last_code = screen.pairing_code
    client.post(f"/staff/feedback/screens/{screen.pk}/revoke/", {"reason": "更换平板"})
    screen.refresh_from_db()
    assert screen.revoked_at is not None and screen.pairing_code == ""
    detail = client.get(f"/staff/feedback/screens/{screen.pk}/").content.decode()
    assert last_code not in detail and 'id="issue-code"' not in detail


def test_window_head_manages_only_their_window(
    client_as, window_head, director, hall_window, second_window
):
    other = rating_screen_create(actor=director, window=second_window)
    client = client_as(window_head)
    html = client.get(LIST).content.decode()
    assert f'data-window="{hall_window.pk}"' in html
    assert f'data-window="{second_window.pk}"' not in html
    assert client.post(f"/staff/feedback/screens/window/{second_window.pk}/add/").status_code == 404
    assert client.get(f"/staff/feedback/screens/{other.pk}/").status_code == 404
    assert client.post(f"/staff/feedback/screens/{other.pk}/revoke/").status_code == 404
    assert client.post(f"/staff/feedback/screens/window/{hall_window.pk}/add/").status_code == 302


def test_others_see_nothing(client_as, outsider, clerk, director, hall_window):
    screen = rating_screen_create(actor=director, window=hall_window)
    # Another county's director has the page, with none of this county's windows on it.
    html = client_as(outsider).get(LIST).content.decode()
    assert f'data-window="{hall_window.pk}"' not in html
    assert client_as(clerk).get(LIST).status_code == 404
    for user in (outsider, clerk):
        client = client_as(user)
        assert client.get(f"/staff/feedback/screens/{screen.pk}/").status_code == 404
        assert client.post(f"/staff/feedback/screens/{screen.pk}/code/").status_code == 404
        assert (
            client.post(f"/staff/feedback/screens/window/{hall_window.pk}/add/").status_code == 404
        )
    assert RatingScreen.objects.count() == 1


def test_staff_number_is_edited_in_the_staff_form(client_as, director, clerk, department):
    client = client_as(director)
    edit = reverse("workbench:staff_edit", args=[clerk.staff.pk])
    assert 'name="staff_number"' in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "full_name": clerk.full_name or "钱七",
            "staff_number": "GH-0042",
            "department": str(department.pk),
            "roles": ["clerk"],
            "is_window_staff": "on",
        },
    )
    assert response.status_code == 302
    clerk.staff.refresh_from_db()
    assert clerk.staff.staff_number == "GH-0042"
