"""Locust scenario: BURST_CASES case submissions at once, each with its own idempotency key
(issue 20 item 6). Run through `bench/load/run.py --burst`.

Every user takes the next key of the run and posts the case until the server acknowledges it
(200/201), retrying the same key after a failure (a timeout, a 5xx, a refused connection); a
share of the keys (BURST_REPEAT_SHARE) is sent a second time after the first answer, as a
client does that lost the answer. When every key is acknowledged (or gave up after
BURST_RETRIES) Locust stops. The ledger (LOAD_LEDGER) lists the keys sent and acknowledged.
"""

from __future__ import annotations

import itertools
import os
import random

import gevent
from locust import between, events, task
from locust.exception import StopUser

from bench.load.hall_morning import HALL, RUN, Base, Ledger, case_body, note_outage

TOTAL = int(os.environ.get("BURST_CASES", 10_000))
REPEAT_SHARE = float(os.environ.get("BURST_REPEAT_SHARE", 0.1))
RETRIES = int(os.environ.get("BURST_RETRIES", 20))
_next = itertools.count()
_finished = {"count": 0}


def _one_done(user: Base) -> None:
    _finished["count"] += 1
    if _finished["count"] >= TOTAL and user.environment.runner is not None:
        gevent.spawn_later(0.1, user.environment.runner.quit)


class Submitter(Base):
    wait_time = between(0, 0.01)
    network_timeout = 120.0

    @task
    def submit(self) -> None:
        serial = next(_next)
        if serial >= TOTAL:
            raise StopUser()
        key = f"burst-{RUN}-{serial:06d}"
        desk = HALL["desks"][serial % len(HALL["desks"])]
        body = case_body(desk, 50_000_000 + serial)
        headers = {"Authorization": f"Bearer {desk['token']}", "Idempotency-Key": key}
        Ledger.keys_sent.add(key)
        sends = 2 if random.random() < REPEAT_SHARE else 1
        for attempt in range(RETRIES + 1):
            name = "submission" if key not in Ledger.keys_acked else "repeat of an answered key"
            with self.client.post(
                "/api/v1/cases/", json=body, headers=headers, name=name, catch_response=True
            ) as response:
                note_outage(response)
                if response.status_code in (200, 201):
                    number = response.json()["number"]
                    if Ledger.keys_acked.setdefault(key, number) != number:
                        response.failure(f"key {key} answered with two case numbers")
                    sends -= 1
                    if sends == 0:
                        break
                    continue
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
            gevent.sleep(min(0.5 * 2**attempt, 10))
        _one_done(self)


@events.init.add_listener
def _check_hall(**_kwargs: object) -> None:
    assert HALL["desks"], "seed the hall first (bench/load/seed.py)"
