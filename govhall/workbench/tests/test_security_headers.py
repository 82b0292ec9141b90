"""Issue 12 item 9: Content-Security-Policy without inline script, security headers, production
defaults (HSTS, secure cookies, `check --deploy` clean), API docs served from our own files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from govhall.frontdesk.services.tickets import ticket_take

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(ROOT.glob("govhall/**/templates/**/*.html"))

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
# htmx features that evaluate JavaScript text (blocked by the policy, off in htmx-config).
HTMX_EVAL = re.compile(r"hx-on[:-]|hx-vals=[\"']\s*js:|hx-trigger=\"[^\"]*\[", re.I)


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_templates_exist_to_scan():
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_or_handler_in_templates(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not EVENT_HANDLER.search(text), "on*= handler: use a data-* attribute and static JS"
    assert not HTMX_EVAL.search(text), "htmx expression evaluated as JavaScript"


@pytest.mark.parametrize(
    "url", ["/staff/login/", "/guides/", "/progress/", "/api/v1/docs", "/admin/login/"]
)
def test_policy_and_headers_on_public_pages(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_policy_on_a_staff_page(client_as, director):
    response = client_as(director).get(reverse("workbench:home"))
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]
    assert b"<script>" not in response.content


def test_api_docs_serve_their_assets_locally(client, db):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    found = re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html)
    assert found is not None
    settings = json.loads(json.loads(found.group(1)))
    assert settings["url"].startswith("/api/v1/") and settings["validatorUrl"] is None


# --- production settings, in a fresh interpreter ----------------------------------------------

PRODUCTION = {
    "GOVHALL_ENV": "production",
    "SECRET_KEY": "x9Qm2-Lk7wP3vZ8rT1yN6bH4jD0fG5sA-cE9uI2oK7lM3nB8vC1xZ4qW6eR0tY5",
    "ALLOWED_HOSTS": "hall.example.gov.cn",
    "DJANGO_SETTINGS_MODULE": "govhall.settings",
}


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVHALL_", "SESSION_", "DATABASE_URL", "SECRET_KEY"))
        # Set by the browser fixture for Playwright's event loop; never in a deployment.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    # Production requires DATABASE_URL (issue 20); these checks never connect to it.
    env.update(
        PRODUCTION, GOVHALL_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_turn_on_https_and_secure_cookies(tmp_path):
    code = (
        "import json; from django.conf import settings as s; import django; django.setup();"
        "print(json.dumps({k: getattr(s, k) for k in ['SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'DEBUG',"
        "'SESSION_COOKIE_AGE', 'GOVHALL_OTP_REQUIRED_ROLES',"
        "'GOVHALL_PASSWORD_MAX_AGE_DAYS', 'GOVHALL_LOGIN_FAILURE_LIMIT']}))"
    )
    result = _run(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_SSL_REDIRECT"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert set(values["GOVHALL_OTP_REQUIRED_ROLES"]) == {"admin", "director"}
    assert values["GOVHALL_PASSWORD_MAX_AGE_DAYS"] == 90
    assert values["GOVHALL_LOGIN_FAILURE_LIMIT"] == 5


def test_deploy_checks_pass_in_production(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_kiosk_may_frame_the_ticket_receipt_but_nobody_else(client, hall_open, queue_groups):
    ticket = ticket_take(group=queue_groups["A"])
    response = client.get(reverse("portal:ticket_print", args=[ticket.token]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert _policy(response)["frame-ancestors"] == ["'self'"]
    assert _policy(response)["script-src"] == ["'self'"]
