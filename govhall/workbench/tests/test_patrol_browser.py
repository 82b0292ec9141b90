"""A director patrols two windows on a phone-sized screen: starts a round, fails one point at the
first window with a note and a photo taken on the spot, passes the second, finishes the round."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from govhall.core.models import User
from govhall.org.models import Center, Department
from govhall.supervision.models import Alert, PatrolFinding, PatrolRound, PatrolVisit
from govhall.testing.browser import log_in
from govhall.testing.patrols import PNG, make_desk, workday_today
from govhall.testing.supervision import ensure_default_rules


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_patrol_two_windows_on_a_phone(
    phone_page,
    director: User,
    county: Center,
    department: Department,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ensure_default_rules()
    workday_today(county)
    first = make_desk(county, department, 1, "1")
    second = make_desk(county, department, 2, "2")
    page = phone_page
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, director)
    page.goto(f"{page.base_url}{reverse('workbench:patrols')}")
    page.locator("#patrol-start button[type=submit]").click()
    page.wait_for_selector("#patrol-windows")
    patrol = PatrolRound.objects.get()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Window 1: the dress point fails, with a note and a photo.
    page.click(f"a[href='{reverse('workbench:patrol_window', args=[patrol.pk, first.window.pk])}']")
    page.wait_for_selector("#checklist")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    dress = page.locator("fieldset[data-point=dress]")
    assert not dress.locator("textarea").is_visible()  # hidden while ticked
    dress.locator(".check-ok input[type=checkbox]").uncheck()
    dress.locator("textarea").fill("未佩戴工作牌")
    assert dress.locator("input[type=file]").get_attribute("capture") is not None
    dress.locator("input[type=file]").set_input_files(
        {"name": "IMG_0001.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.locator("#checklist button[type=submit]").click()
    page.wait_for_selector("#patrol-windows li.failed")

    # Window 2: everything passes.
    page.click(
        f"a[href='{reverse('workbench:patrol_window', args=[patrol.pk, second.window.pk])}']"
    )
    page.wait_for_selector("#checklist")
    page.locator("#checklist button[type=submit]").click()
    page.wait_for_selector("#patrol-windows li.passed")
    assert page.locator("#patrol-windows li.todo").count() == 0

    page.locator("#patrol-finish button[type=submit]").click()
    page.wait_for_selector("#patrol-rounds")

    assert PatrolVisit.objects.filter(round=patrol).count() == 2
    finding = PatrolFinding.objects.get()
    assert (finding.visit.window, finding.point, finding.note) == (
        first.window,
        "dress",
        "未佩戴工作牌",
    )
    assert finding.photo.name.endswith(".png")
    assert Alert.objects.get(rule__code="patrol_finding.yellow").responsible == first.a
    patrol.refresh_from_db()
    assert patrol.finished_at is not None
