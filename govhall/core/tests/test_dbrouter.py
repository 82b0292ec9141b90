"""The read replica's router (issue 20): the statistics' reads go to the replica when one is
configured, outside transactions only; everything else, and every write, stays on default."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from govhall.cases.models import Case
from govhall.core.dbrouter import ReplicaRouter
from govhall.stats.models import CaseDayRollup, StatsReport

router = ReplicaRouter()
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def replica(settings):
    databases = copy.copy(settings.DATABASES)
    databases["replica"] = dict(databases["default"])
    settings.DATABASES = databases
    settings.GOVHALL_REPLICA_APPS = ["stats"]


def test_without_a_replica_the_router_decides_nothing(settings):
    assert "replica" not in settings.DATABASES
    assert router.db_for_read(CaseDayRollup) is None
    assert router.db_for_read(Case) is None
    assert settings.DATABASE_ROUTERS == []


def test_statistics_reads_go_to_the_replica_the_rest_to_default(replica):
    assert not connections["default"].in_atomic_block
    assert router.db_for_read(CaseDayRollup) == "replica"
    assert router.db_for_read(StatsReport) == "replica"
    assert router.db_for_read(Case) == "default"
    assert router.db_for_write(CaseDayRollup) == "default"
    assert router.allow_migrate("default", "stats") is True
    assert router.allow_migrate("replica", "stats") is False


def test_inside_a_transaction_statistics_read_their_own_writes_on_default(replica, db):
    # The test runs inside a transaction on default (pytest-django's): as a service does.
    assert connections["default"].in_atomic_block
    assert router.db_for_read(CaseDayRollup) == "default"


def test_the_setting_adds_the_replica_and_the_router(tmp_path):
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([sorted(s.DATABASES), s.DATABASES['replica']['HOST'],"
        " s.DATABASES['replica']['TEST'], s.DATABASE_ROUTERS]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GOVHALL_REPLICA_APPS"}}
    env.update(
        GOVHALL_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="govhall.settings",
        GOVHALL_REPLICA_DATABASE_URL="postgres://govhall@replica.example:5432/govhall",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    aliases, host, test, routers = json.loads(result.stdout.strip().splitlines()[-1])
    assert aliases == ["default", "replica"] and host == "replica.example"
    assert test["MIRROR"] == "default"
    assert routers == ["govhall.core.dbrouter.ReplicaRouter"]
