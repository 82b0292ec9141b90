"""The alert inbox in a browser (issue 14 item 5): the clerk explains an alert on the workbench's
screen, the hall director accepts it on a phone, and the points are restored."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from govhall.supervision.models import Alert, AlertStatus
from govhall.testing.alerts import make_alert
from govhall.testing.factories import PASSWORD
from govhall.testing.supervision import ensure_default_rules


def _sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_explains_and_the_director_accepts(  # type: ignore[no-untyped-def]
    page, phone_page, hall_window, clerk, director
):
    ensure_default_rules()
    alert = make_alert(hall_window, clerk, detail="办件超过承诺时限")
    with override("zh-hans"):
        explained, accepted = str(AlertStatus.EXPLAINED.label), str(AlertStatus.ACCEPTED.label)

    _sign_in(page, clerk)
    page.goto(f"{page.base_url}/staff/supervision/alerts/")
    row = page.locator(f'tr[data-alert="{alert.pk}"]')
    row.locator("a").first.click()
    page.wait_for_url(f"**/supervision/alerts/{alert.pk}/")
    page.fill("#id_explanation", "系统升级导致无法出证，已于次日补办。")
    page.locator("#explain-form button[type=submit]").click()
    page.wait_for_url(f"**/supervision/alerts/{alert.pk}/")
    assert page.locator("#alert-facts [data-status]").inner_text() == explained
    assert page.locator("#alert-actions").count() == 0

    _sign_in(phone_page, director)
    phone_page.goto(f"{phone_page.base_url}/staff/supervision/alerts/?box=decide")
    phone_page.locator(f'tr[data-alert="{alert.pk}"] a').first.click()
    phone_page.wait_for_url(f"**/supervision/alerts/{alert.pk}/")
    assert "系统升级导致无法出证" in phone_page.locator("#alert-explanation").inner_text()
    accept = phone_page.locator("#decide-form button.primary")
    assert accept.is_visible()
    # Phone-friendly: the page does not scroll sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    accept.click()
    phone_page.wait_for_url(f"**/supervision/alerts/{alert.pk}/")
    assert phone_page.locator("#alert-facts [data-status]").inner_text() == accepted
    assert phone_page.locator('#alert-timeline li[data-action="alert.accept"]').count() == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACCEPTED
    assert not Alert.objects.counting().filter(pk=alert.pk).exists()
