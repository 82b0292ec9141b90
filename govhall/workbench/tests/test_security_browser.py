"""In a real browser under the Content-Security-Policy (issue 12 item 9): the pages that run
scripts work and the browser reports no violation; a director logs in with the second factor
through the real forms (item 8)."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.frontdesk.services.tickets import ticket_take
from govhall.testing.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collects CSP violations and script errors of the page."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error"
            and ("Content Security Policy" in message.text or "Refused to" in message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def form_log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()


def test_pages_with_scripts_work_under_the_policy(page, county, director, queue_groups):
    problems = watch(page)
    ticket_take(group=queue_groups["A"])
    form_log_in(page, director.username)
    page.wait_for_url(f"{page.base_url}/staff/")
    # The ECharts chart draws (a canvas in its box).
    page.goto(f"{page.base_url}/staff/frontdesk/queue/stats/")
    page.locator("#wait-chart canvas").wait_for()
    # Public pages of the hall: the board and the kiosk.
    page.goto(f"{page.base_url}/board/{county.code}/")
    page.locator("body").wait_for()
    page.goto(f"{page.base_url}/kiosk/{county.code}/")
    page.locator("body").wait_for()
    # The API documentation renders from our own files.
    page.goto(f"{page.base_url}/api/v1/docs")
    page.locator("#swagger-ui .opblock").first.wait_for(timeout=20_000)
    assert problems == []


def test_menu_button_and_autosubmit_work_without_inline_handlers(phone_page, director, county):
    problems = watch(phone_page)
    form_log_in(phone_page, director.username)
    phone_page.wait_for_url(f"{phone_page.base_url}/staff/")
    toggle = phone_page.locator(".nav-toggle")
    toggle.click()
    assert phone_page.evaluate("document.body.classList.contains('nav-open')")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert problems == []


def test_director_logs_in_with_the_second_factor(page, director, settings):
    settings.GOVHALL_OTP_REQUIRED_ROLES = ["admin", "director"]
    problems = watch(page)
    form_log_in(page, director.username)
    page.wait_for_url("**/staff/account/two-step/**")
    assert page.locator("#otp-qr").is_visible()
    assert page.locator("#otp-secret").inner_text().strip()
    device = TOTPDevice.objects.get(user=director)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{totp.token():06d}")
    page.locator("#otp-setup button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")
    page.goto(f"{page.base_url}/staff/account/logins/")
    assert page.locator("#login-history tr.login-ok").count() == 1
    assert problems == []


def test_kiosk_with_a_printer_shows_the_receipt_in_its_frame(page, county, queue_groups):
    problems = watch(page)
    page.goto(f"{page.base_url}/kiosk/{county.code}/?print=1")
    page.locator("a.kiosk-group[data-group='A']").click()
    page.fill("#id_phone", "13800138000")
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-number")
    frame = page.frame_locator("#kiosk-print-frame")
    # The receipt loads inside the kiosk's frame (same origin may frame it; nobody else).
    assert "A001" in frame.locator("body").inner_text(timeout=10_000)
    assert problems == []
