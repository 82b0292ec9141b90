"""Settings come from the environment and refuse bad values loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from govhall.envconf import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]


def test_typed_readers_parse_and_default(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_bool("X_BOOL", default=False) is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_int("X_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("X_BOOL", "maybe", lambda: env_bool("X_BOOL", default=False)),
        ("X_INT", "ten", lambda: env_int("X_INT", 1)),
        ("X_INT", "-3", lambda: env_int("X_INT", 1, minimum=0)),
    ],
)
def test_typed_readers_refuse_bad_values(monkeypatch, name, value, read):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        read()


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import govhall.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION_DB = "postgres://govhall@db.example/govhall"


def test_production_refuses_to_start_without_secret_key_or_hosts():
    db = {"DATABASE_URL": PRODUCTION_DB}
    no_key = _load_settings(GOVHALL_ENV="production", ALLOWED_HOSTS="hall.example", **db)
    assert no_key.returncode != 0 and "SECRET_KEY must be set" in no_key.stderr
    no_hosts = _load_settings(GOVHALL_ENV="production", SECRET_KEY="k" * 50, **db)
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS must be set" in no_hosts.stderr
    # Issue 20: production never falls back to the checkout's SQLite file.
    no_db = _load_settings(GOVHALL_ENV="production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="h.example")
    assert no_db.returncode != 0 and "DATABASE_URL must be set" in no_db.stderr
    ok = _load_settings(
        GOVHALL_ENV="production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="hall.example", **db
    )
    assert ok.returncode == 0, ok.stderr


def test_production_refuses_an_unsigned_hotline_webhook():
    base = {
        "GOVHALL_ENV": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "hall.example",
        "DATABASE_URL": PRODUCTION_DB,
    }
    url = {"GOVHALL_HOTLINE_WEBHOOK_URL": "https://hotline.example/replies"}
    unsigned = _load_settings(**base, **url)
    assert unsigned.returncode != 0
    assert "GOVHALL_HOTLINE_WEBHOOK_SECRET must be set" in unsigned.stderr
    signed = _load_settings(**base, **url, GOVHALL_HOTLINE_WEBHOOK_SECRET="s" * 32)
    assert signed.returncode == 0, signed.stderr


def test_bad_database_url_and_task_mode_are_refused():
    bad_url = _load_settings(DATABASE_URL="nosuchdb://x")
    assert bad_url.returncode != 0 and "DATABASE_URL" in bad_url.stderr
    bad_mode = _load_settings(GOVHALL_TASK_MODE="celery-ish")
    assert bad_mode.returncode != 0 and "GOVHALL_TASK_MODE" in bad_mode.stderr


def test_a_connection_pool_per_process_when_asked():
    """GOVHALL_DB_POOL_MAX_SIZE puts a psycopg pool behind PostgreSQL (the production stack
    sets it; its smoke test runs through it); without it, nothing changes."""
    show = (
        "import json, govhall.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps([d['OPTIONS'].get('pool'), d['CONN_MAX_AGE']]))"
    )

    def settings_of(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if k != "GOVHALL_DB_POOL_MAX_SIZE"}
        done = subprocess.run(
            [sys.executable, "-c", show],
            cwd=ROOT,
            env={**clean, "DATABASE_URL": PRODUCTION_DB, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert settings_of(GOVHALL_DB_POOL_MAX_SIZE="12", GOVHALL_DB_POOL_TIMEOUT="5") == (
        '[{"min_size": 2, "max_size": 12, "timeout": 5}, 0]'
    )
    assert settings_of() == "[null, 60]"
