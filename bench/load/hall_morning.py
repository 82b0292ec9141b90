"""Locust scenario: a large hall's morning (issue 20 item 6). Run through bench/load/run.py.

Users (every count an environment variable, see `Config`):
- clerks (one per seeded window, 200): call the next ticket, start serving it, receive a case for
  it now and then (POST /api/v1/cases/ with an Idempotency-Key), finish it; between calls they
  load their console and their case list;
- kiosks: take tickets (POST /api/v1/frontdesk/queue/tickets/kiosk) for a random group;
- boards: hold the display board's event stream (GET /board/<code>/stream) and count events;
- online: case submissions through the API with idempotency keys, a share of them sent twice
  (a client retrying after a lost answer) and every failed one retried with the same key;
- inquiries: public progress lookups (GET /api/v1/progress/) of seeded and submitted cases.

What the server acknowledged (ticket tokens, case keys answered 200/201, tickets handed out by
call-next) is written to LOAD_LEDGER at the end, for the database checks of run.py.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task

HALL = json.loads(Path(os.environ.get("LOAD_HALL", "/tmp/load-hall.json")).read_text())
LEDGER_PATH = os.environ.get("LOAD_LEDGER", "/tmp/load-ledger.json")
RUN = os.environ.get("LOAD_RUN", uuid.uuid4().hex[:8])


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Config:
    clerks = min(_env_int("LOAD_CLERKS", 200), len(HALL["desks"]))
    kiosks = _env_int("LOAD_KIOSKS", 10)
    boards = _env_int("LOAD_BOARDS", 20)
    online = _env_int("LOAD_ONLINE", 20)
    inquiries = _env_int("LOAD_INQUIRIES", 10)
    # Seconds between a clerk's actions, a kiosk's tickets, an online submission, an inquiry.
    clerk_wait = (_env_float("LOAD_CLERK_WAIT_MIN", 2), _env_float("LOAD_CLERK_WAIT_MAX", 6))
    kiosk_wait = (_env_float("LOAD_KIOSK_WAIT_MIN", 1), _env_float("LOAD_KIOSK_WAIT_MAX", 3))
    online_wait = (_env_float("LOAD_ONLINE_WAIT_MIN", 1), _env_float("LOAD_ONLINE_WAIT_MAX", 4))
    inquiry_wait = (_env_float("LOAD_INQUIRY_WAIT_MIN", 1), _env_float("LOAD_INQUIRY_WAIT_MAX", 3))
    # Share of submissions sent twice with the same key, and retries of a failed one.
    repeat_share = _env_float("LOAD_REPEAT_SHARE", 0.1)
    retries = _env_int("LOAD_RETRIES", 3)


class Ledger:
    """What the server acknowledged, kept in this (single) Locust process."""

    keys_sent: set[str] = set()
    keys_acked: dict[str, str] = {}  # key → case number
    tickets_acked: set[str] = set()  # ticket tokens answered 201
    called: list[int] = []  # ticket ids returned by call-next
    cases: list[dict[str, str]] = list(HALL["cases"])
    board_events = 0
    answers_503: int = 0
    bad_outage_answers: list[str] = []


@events.test_stop.add_listener
def _write_ledger(**_kwargs: Any) -> None:
    Path(LEDGER_PATH).write_text(
        json.dumps(
            {
                "keys_sent": sorted(Ledger.keys_sent),
                "keys_acked": Ledger.keys_acked,
                "tickets_acked": sorted(Ledger.tickets_acked),
                "called": Ledger.called,
                "board_events": Ledger.board_events,
                "answers_503": Ledger.answers_503,
                "bad_outage_answers": Ledger.bad_outage_answers[:20],
            }
        )
    )


def note_outage(response: Any) -> None:
    """Count 503s and keep what came instead of a clean one (502/504 from nginx, tracebacks)."""
    code = response.status_code
    if code == 503:
        Ledger.answers_503 += 1
        text = response.text or ""
        with contextlib.suppress(Exception):  # JSON from /api/, else an HTML page
            text = str(response.json().get("detail", text))
        if "Traceback" in text or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            Ledger.bad_outage_answers.append(f"503 without a Chinese message: {text[:120]!r}")
    elif code in (0, 405, 500, 502, 504):  # 405: nginx answering a POST with its error page
        Ledger.bad_outage_answers.append(
            f"{code} {response.request_meta['name']}: {(response.text or '')[:120]!r}"
        )


class Base(FastHttpUser):
    abstract = True
    insecure = True  # the stack's self-signed certificate
    network_timeout = 30.0
    connection_timeout = 10.0


def person_id(serial: int) -> str:
    """A valid 18-digit ID number (GB 11643 check character) born 1950–2004."""
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20_000)
    first17 = f"330100{birth:%Y%m%d}{serial // 20_000 % 1000:03d}"
    total = sum(
        int(d) * w
        for d, w in zip(first17, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], strict=True)
    )
    return first17 + "10X98765432"[total % 11]


def case_body(desk: dict[str, Any], serial: int) -> dict[str, Any]:
    return {
        "item_id": HALL["item_id"],
        "window_id": desk["window_id"],
        "applicant": {
            "kind": "person",
            "name": f"压测申请人{serial}",
            "id_number": person_id(serial),
            "phone": f"139{serial % 100_000_000:08d}",
        },
        "materials": [{"material_id": m, "received": True} for m in HALL["materials"]],
        "outcome": "promised",
    }


_serials = itertools.count(random.randrange(10**7))


def submit_case(user: Base, desk: dict[str, Any], name: str) -> None:
    """POST a case with a fresh key; resend the same key once now and then, and on failure."""
    key = f"load-{RUN}-{uuid.uuid4().hex[:20]}"
    Ledger.keys_sent.add(key)
    body = case_body(desk, next(_serials))
    headers = {"Authorization": f"Bearer {desk['token']}", "Idempotency-Key": key}
    sends = 2 if random.random() < Config.repeat_share else 1
    attempt = 0
    while attempt <= Config.retries:
        with user.client.post(
            "/api/v1/cases/", json=body, headers=headers, name=name, catch_response=True
        ) as response:
            note_outage(response)
            if response.status_code in (200, 201):
                number = response.json()["number"]
                known = Ledger.keys_acked.setdefault(key, number)
                if known != number:
                    response.failure(f"key {key} answered two cases: {known}, {number}")
                    return
                if len(Ledger.cases) < 5000:
                    Ledger.cases.append(
                        {"number": number, "last4": body["applicant"]["phone"][-4:]}
                    )
                response.success()
                sends -= 1
                if sends <= 0:
                    return
                continue
            response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
        attempt += 1
        gevent.sleep(min(2**attempt, 10))


_desk_numbers = itertools.count()


class Clerk(Base):
    fixed_count = Config.clerks
    wait_time = between(*Config.clerk_wait)

    def on_start(self) -> None:
        self.desk = HALL["desks"][next(_desk_numbers) % len(HALL["desks"])]
        self.auth = {"Authorization": f"Bearer {self.desk['token']}"}

    def _act(self, ticket_id: int, action: str, expected: str) -> bool:
        with self.client.post(
            f"/api/v1/frontdesk/queue/tickets/{ticket_id}/act",
            json={"action": action, "expected_status": expected},
            headers=self.auth,
            name=f"ticket {action}",
            catch_response=True,
        ) as response:
            note_outage(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return False
        return True

    @task(4)
    def serve_next(self) -> None:
        with self.client.post(
            f"/api/v1/frontdesk/queue/windows/{self.desk['window_id']}/call-next",
            headers=self.auth,
            name="call next",
            catch_response=True,
        ) as response:
            note_outage(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return
            ticket = response.json().get("ticket")
        if not ticket:
            return
        Ledger.called.append(ticket["id"])
        if not self._act(ticket["id"], "start", "called"):
            return
        if random.random() < 0.3:
            submit_case(self, self.desk, "case intake (window)")
        self._act(ticket["id"], "finish", "serving")

    @task(2)
    def console(self) -> None:
        with self.client.get(
            "/api/v1/frontdesk/queue/console",
            headers=self.auth,
            name="console",
            catch_response=True,
        ) as response:
            note_outage(response)

    @task(1)
    def case_list(self) -> None:
        with self.client.get(
            "/api/v1/cases/?limit=20", headers=self.auth, name="case list", catch_response=True
        ) as response:
            note_outage(response)


class Kiosk(Base):
    fixed_count = Config.kiosks
    wait_time = between(*Config.kiosk_wait)

    @task
    def take(self) -> None:
        with self.client.post(
            "/api/v1/frontdesk/queue/tickets/kiosk",
            json={"group": random.choice(HALL["groups"]), "priority": "normal"},
            name="kiosk ticket",
            catch_response=True,
        ) as response:
            note_outage(response)
            if response.status_code == 201:
                Ledger.tickets_acked.add(response.json()["token"])
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")


class Board(Base):
    fixed_count = Config.boards
    wait_time = between(0.5, 1.5)
    network_timeout = 120.0

    @task
    def hold_stream(self) -> None:
        """One stream until the server ends it: the time to the first event is recorded as the
        request "board first event"; then the events are counted until the stream ends."""
        url = f"/board/{HALL['center_code']}/stream"
        with self.client.get(
            url,
            headers={"Accept": "text/event-stream"},
            stream=True,
            name="board first event",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                note_outage(response)
                response.failure(f"{response.status_code}: {(response.text or '')[:120]}")
                gevent.sleep(1)
                return
            chunks = response.iter_content(chunk_size=4096, decode_content=False)
            try:
                first = next(chunks)
            except Exception as error:
                response.failure(f"stream closed before an event: {error!r}")
                return
            Ledger.board_events += first.count(b"event:")
            response.success()
        try:
            for chunk in chunks:
                Ledger.board_events += chunk.count(b"event:")
        except Exception:
            pass  # the stream ended (its time is up, or an outage): reconnect


class Online(Base):
    fixed_count = Config.online
    wait_time = between(*Config.online_wait)

    @task
    def submit(self) -> None:
        submit_case(self, random.choice(HALL["desks"]), "case submission (API, key)")


class Inquiry(Base):
    fixed_count = Config.inquiries
    wait_time = between(*Config.inquiry_wait)

    @task
    def progress(self) -> None:
        case = random.choice(Ledger.cases)
        with self.client.get(
            f"/api/v1/progress/?number={case['number']}&last4={case['last4']}",
            name="progress inquiry",
            catch_response=True,
        ) as response:
            note_outage(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
