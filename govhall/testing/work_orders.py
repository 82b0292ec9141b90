"""12345 work orders and a real local HTTP receiver for the webhook tests."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.feedback.models import WorkOrder
from govhall.feedback.services.work_orders import work_order_receive
from govhall.org.models import Center, Department
from govhall.testing.factories import make_staff


def at(day: str, clock: str = "10:00") -> datetime.datetime:
    """An aware local moment: at("2026-12-04", "10:00")."""
    naive = datetime.datetime.fromisoformat(f"{day}T{clock}")
    return timezone.make_aware(naive, timezone.get_current_timezone())


def make_hotline_account(center: Center, username: str = "hotline12345") -> User:
    """The hotline platform's account: a staff record at `center` and no role."""
    return make_staff(None, center, username=username)


def make_work_order(
    *,
    actor: User,
    center: Center,
    department: Department | None = None,
    number: str = "12345-0001",
    kind: str = "consult",
    received_at: datetime.datetime | None = None,
    **fields: Any,
) -> WorkOrder:
    order, _created = work_order_receive(
        actor=actor,
        center=center,
        kind=kind,
        title=fields.pop("title", "路灯不亮"),
        content=fields.pop("content", "小区门口路灯三天不亮"),
        hotline_number=number,
        citizen_name=fields.pop("citizen_name", "张三"),
        citizen_phone=fields.pop("citizen_phone", "13800138000"),
        department=department,
        source=fields.pop("source", "api"),
        received_at=received_at,
    )
    return order


def manager_of(center: Center, username: str = "wo-director") -> User:
    return make_staff(Role.DIRECTOR, center, username=username)


@dataclass
class Receiver:
    """What the local receiver got: every request, and the answers it gave."""

    url: str
    secret: str
    statuses: list[int]  # answers to give, in order; 200 once they run out
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def valid(self, request: dict[str, Any]) -> bool:
        headers = request["headers"]
        stamp = headers.get("X-Govhall-Timestamp", "")
        mac = hmac.new(
            self.secret.encode(), stamp.encode() + b"." + request["body"], hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(headers.get("X-Govhall-Signature", ""), "sha256=" + mac)

    def acknowledged(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if 200 <= r["answered"] < 300]


@contextmanager
def local_receiver(
    secret: str, statuses: list[int] | None = None, delay: float = 0.0
) -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 in a thread, answering `statuses` in turn."""
    receiver = Receiver(url="", secret=secret, statuses=list(statuses or []))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if delay:
                threading.Event().wait(delay)
            with receiver.lock:
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.requests.append(
                    {"headers": dict(self.headers.items()), "body": body, "answered": status}
                )
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
