"""Takes the README screenshots from a running demo hall (scripts/demo in another shell).

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
Writes docs/screenshots/*.png at the clerk's 1366×768 and a phone's 390×844.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shoot(page: Page, url: str, name: str, *, full: bool = False) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
    print("wrote", OUT / f"{name}.png")


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page = desk.new_page()
        page.goto(f"{base}/staff/login/")
        page.fill("#id_username", "director")
        page.fill("#id_password", "demo-2026")
        page.locator("form.stacked button[type=submit]").click()
        page.wait_for_url(f"{base}/staff/")
        shoot(page, f"{base}/staff/", "workbench-home")
        shoot(page, f"{base}/staff/windows/", "windows-board")
        shoot(page, f"{base}/staff/items/", "service-items")
        shoot(page, f"{base}/staff/calendar/?year=2026", "calendar")
        shoot(page, f"{base}/staff/centers/", "centers")
        shoot(page, f"{base}/staff/staffing/on-duty/", "on-duty")
        shoot(page, f"{base}/staff/cases/", "case-list")
        shoot(page, f"{base}/staff/cases/inbox/", "case-inbox")
        # The first joint case of the demo: tasks, notices, timeline.
        page.goto(f"{base}/staff/cases/?kind=joint")
        page.locator("tr[data-case] a").first.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "case-page.png"), full_page=True)
        print("wrote", OUT / "case-page.png")
        page.locator("a", has_text="打印").first.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "notice-print.png"), full_page=True)
        print("wrote", OUT / "notice-print.png")
        shoot(page, f"{base}/staff/frontdesk/queue/stats/", "queue-stats")
        shoot(page, f"{base}/staff/frontdesk/inquiries/rates/", "inquiry-rates")
        shoot(page, f"{base}/staff/appointments/", "appointment-day")
        # Supervision at work (loaded with the demo): the board, the alert inbox, the month's
        # score sheets with grades and tiers.
        shoot(page, f"{base}/staff/supervision/board/", "supervision-board")
        shoot(page, f"{base}/staff/supervision/alerts/", "alert-inbox")
        shoot(page, f"{base}/staff/assessment/", "assessment-month")
        # Statistics: the figures with their definitions, the period reports kept.
        shoot(page, f"{base}/staff/stats/", "stats-figures", full=True)
        shoot(page, f"{base}/staff/stats/reports/", "stats-reports")
        # The front desk as a clerk (calling console, first-inquiry log) and the hall's board.
        clerk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        cpage = clerk.new_page()
        cpage.goto(f"{base}/staff/login/")
        cpage.fill("#id_username", "clerk")
        cpage.fill("#id_password", "demo-2026")
        cpage.locator("form.stacked button[type=submit]").click()
        cpage.wait_for_url(f"{base}/staff/")
        shoot(cpage, f"{base}/staff/frontdesk/queue/", "calling-console")
        shoot(cpage, f"{base}/staff/frontdesk/inquiries/log/", "inquiry-log")
        hall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        board = hall.new_page()
        board.goto(f"{base}/board/330100/")
        board.click("#board-sound-button")  # the hall staff's one click that allows speech
        board.wait_for_timeout(1500)  # the first state arrives over the event stream
        board.screenshot(path=str(OUT / "display-board.png"))
        print("wrote", OUT / "display-board.png")
        wall = hall.new_page()
        wall.goto(f"{base}/screen/330100/")
        wall.wait_for_timeout(3000)  # the figures arrive over the event stream, then the charts
        wall.screenshot(path=str(OUT / "big-screen.png"))
        print("wrote", OUT / "big-screen.png")
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
        )
        ppage = phone.new_page()
        shoot(ppage, f"{base}/kiosk/330100/", "kiosk-phone")
        shoot(ppage, f"{base}/appointments/", "appointments-phone")
        shoot(ppage, f"{base}/guides/", "portal-guides-phone")
        first = ppage.locator(".guide-list a").first
        first.click()
        ppage.wait_for_load_state("networkidle")
        ppage.screenshot(path=str(OUT / "portal-guide-phone.png"), full_page=False)
        print("wrote", OUT / "portal-guide-phone.png")
        shoot(ppage, f"{base}/disclosure/330100/", "disclosure-phone", full=True)
        # The online hall on a phone: registration, then the demo citizen's My page, a
        # supplement to upload and a licence's public check.
        shoot(ppage, f"{base}/account/register/", "online-register-phone")
        citizen = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
        )
        opage = citizen.new_page()
        opage.goto(f"{base}/account/login/")
        opage.fill("#id_login", "13900000001")
        opage.fill("#id_password", "Online-2026")
        opage.click("#login-submit")
        opage.wait_for_load_state("networkidle")
        shoot(opage, f"{base}/my/", "my-page-phone")
        supplements = opage.locator("#my-cases a[href*='/supplement/']")
        if supplements.count():  # the demo case waiting for materials asked once (一次性告知)
            supplements.first.click()
            opage.wait_for_load_state("networkidle")
            opage.screenshot(path=str(OUT / "supplement-phone.png"))
            print("wrote", OUT / "supplement-phone.png")
        opage.goto(f"{base}/my/")
        checks = opage.locator("#my-licences a[href*='/licences/verify/']")
        if checks.count():
            checks.first.click()
            opage.wait_for_load_state("networkidle")
            opage.screenshot(path=str(OUT / "licence-check-phone.png"))
            print("wrote", OUT / "licence-check-phone.png")
        # The supervisor's patrol checklist for a window: a round in progress, else a new one.
        ppage.goto(f"{base}/staff/login/")
        ppage.fill("#id_username", "supervisor")
        ppage.fill("#id_password", "demo-2026")
        ppage.locator("form.stacked button[type=submit]").click()
        ppage.wait_for_url(f"{base}/staff/")
        ppage.goto(f"{base}/staff/supervision/patrols/")
        ppage.locator("#patrol-start button[type=submit]").click()
        ppage.wait_for_load_state("networkidle")
        if ppage.url.endswith("/staff/supervision/patrols/"):
            ppage.locator("#patrol-rounds a").first.click()  # refused: one is in progress
            ppage.wait_for_load_state("networkidle")
        ppage.locator("#patrol-windows li.todo a").first.click()
        ppage.wait_for_load_state("networkidle")
        ppage.locator("fieldset.check-point .check-ok input").nth(3).uncheck()
        ppage.screenshot(path=str(OUT / "patrol-checklist-phone.png"), full_page=False)
        print("wrote", OUT / "patrol-checklist-phone.png")
        browser.close()


if __name__ == "__main__":
    main()
