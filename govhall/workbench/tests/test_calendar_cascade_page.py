"""Issue 16 item 9 on the calendar page: "also for the centers below" when setting and removing
a closure; a lower level's own entry is kept and the page says so; refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import CenterFactory
from govhall.workdays.access import calendar as calendar_access
from govhall.workdays.models import CenterDay
from govhall.workdays.services.center_days import center_day_set

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = datetime.date(2025, 10, 14)


@pytest.fixture
def village(town):
    return CenterFactory(code="33010103", name="示例村站", level=CenterLevel.VILLAGE, parent=town)


def test_the_option_is_offered_and_applies_below_keeping_own_entries(
    client_as, director, county, town, village, django_capture_on_commit_callbacks
):
    client = client_as(director)
    page = client.get(reverse("workbench:calendar"), {"year": 2025, "center": county.pk}, **EN)
    assert 'name="include_below"' in page.content.decode()
    center_day_set(actor=None, center_id=town.pk, date=DAY, kind="closed", reason="镇停电")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workbench:calendar_day_add", args=[county.pk]),
            {"date": DAY.isoformat(), "kind": "closed", "reason": "台风", "include_below": "on"},
            **EN,
            follow=True,
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Also applied to the centers below: 1." in html
    assert f"Kept their own entry for that day: {town.name}" in html
    assert dict(CenterDay.objects.values_list("center_id", "reason")) == {
        county.pk: "台风",
        town.pk: "镇停电",
        village.pk: "台风",
    }
    # The village's page marks the copy as set from the county.
    html = client.get(reverse("workbench:calendar"), {"year": 2025, "center": village.pk}, **EN)
    assert f"from {county.name}" in html.content.decode()

    remove = reverse("workbench:calendar_day_remove", args=[county.pk, DAY.isoformat()])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove, {"include_below": "on"}).status_code == 302
    assert dict(CenterDay.objects.values_list("center_id", "reason")) == {town.pk: "镇停电"}


def test_without_the_option_only_the_center_itself(client_as, director, county, town):
    client = client_as(director)
    response = client.post(
        reverse("workbench:calendar_day_add", args=[county.pk]),
        {"date": DAY.isoformat(), "kind": "closed", "reason": "台风"},
    )
    assert response.status_code == 302
    assert list(CenterDay.objects.values_list("center_id", flat=True)) == [county.pk]


def test_out_of_scope_below_is_refused_by_name_and_nothing_saved(
    client_as, director, county, town, village, monkeypatch
):
    real_rule = calendar_access._center_rule
    monkeypatch.setattr(
        calendar_access,
        "_center_rule",
        lambda actor, center_id: center_id != village.pk and real_rule(actor, center_id),
    )
    response = client_as(director).post(
        reverse("workbench:calendar_day_add", args=[county.pk]),
        {"date": DAY.isoformat(), "kind": "closed", "reason": "台风", "include_below": "on"},
        **EN,
    )
    assert response.status_code == 400
    assert village.name in response.content.decode()
    assert not CenterDay.objects.exists()
