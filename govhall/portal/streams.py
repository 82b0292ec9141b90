"""Server-sent event streams of the hall's screens (the display board, the rating screens).

One loop for all of them: poll a cheap fingerprint often; whenever it changes, build the full
state and send it as one named event; a comment line now and then keeps proxies from closing
an idle stream; after `seconds` the stream ends and the browser's EventSource reconnects by
itself. Each stream holds a worker thread and a database connection while it runs, which it
gives back when it ends.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone

# How soon the browser reconnects after a stream ends (milliseconds, sent first).
RETRY_MILLISECONDS = 500
# How often a stream looks for a change, and how long it stays silent before a comment line.
POLL_SECONDS = 0.3
HEARTBEAT_SECONDS = 10.0


def json_data(state: Any) -> str:
    """`state` as compact JSON for an event's data line (dates and decimals included)."""
    return json.dumps(state, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def fingerprint_events(
    *,
    event: str,
    fingerprint: Callable[[datetime.datetime], Any],
    state: Callable[[datetime.datetime], Any],
    seconds: float,
    poll_seconds: float = POLL_SECONDS,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> Iterator[str]:
    """Server-sent events named `event`: the state on connect, then again whenever
    `fingerprint(now)` changes, until `seconds` have passed."""
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        deadline = time.monotonic() + seconds
        last_sent = time.monotonic()
        seen: Any = None
        first = True
        while True:
            now = timezone.now()
            current = fingerprint(now)
            if first or current != seen:
                # Read the fingerprint first: a change made while the state is built shows
                # again at the next poll, so none is ever missed.
                first = False
                seen = current
                yield f"event: {event}\ndata: {json_data(state(now))}\n\n"
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent >= heartbeat_seconds:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()
            if time.monotonic() >= deadline:
                break
            time.sleep(poll_seconds)
    finally:
        # A stream holds its worker thread and database connection for up to `seconds`: give
        # the connection back now (not inside a test's transaction, which owns it).
        if not connection.in_atomic_block:
            connection.close()


def event_stream_response(events: Iterator[str]) -> StreamingHttpResponse:
    """The streaming response of `events`: never cached, never buffered by a proxy."""
    response = StreamingHttpResponse(events, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response["X-Accel-Buffering"] = "no"  # nginx: pass every event on at once
    return response
