"""Browser tests: signing in through the real login page."""

from __future__ import annotations

from typing import Any

from govhall.core.models import User
from govhall.testing.factories import PASSWORD


def log_in(page: Any, user: User) -> None:
    """Sign `user` in on `page` (a fresh session) and wait for the workbench home."""
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")
