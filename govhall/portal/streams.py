"""Server-sent event streams of the hall's screens (the display board, the rating screens, the
big screen).

Every stream sends the full state as one named event on connect and again whenever it changed;
a comment line now and then keeps proxies from closing an idle stream; after `seconds` the
stream ends and the browser's EventSource reconnects by itself. Two ways to get there:

- `pushed_events` (served under ASGI, production: uvicorn workers): an async stream woken by the
  push notifications of its center (`govhall.core.push`; one listener per process). It holds no
  thread and no database connection while it waits: the state is rebuilt in a worker thread
  only when its center was notified (or every `refresh_seconds`, for what changes with the
  clock), ONCE per process for all the streams showing the same thing (`shared_state`), and the
  connection is given back at once.
- `fingerprint_events` (the dev server and other WSGI servers, where an async stream cannot
  stream): poll a cheap fingerprint; each stream holds a worker thread and a database
  connection while it runs, which it gives back when it ends.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import SyncToAsync, sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from govhall.core import push

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


def is_async_server(request: HttpRequest) -> bool:
    """Served by an ASGI server (uvicorn): the stream may be async and pushed."""
    return isinstance(request, ASGIRequest)


P = ParamSpec("P")
T = TypeVar("T")


def _closing(function: Callable[P, T]) -> Callable[P, T]:
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return run


def db_moment(function: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`function` run in a worker thread of the process's shared pool (never a thread per
    stream), its database connection closed as soon as it returns."""
    return sync_to_async(_closing(function), thread_sensitive=False)


def release_request_thread() -> None:
    """Give back the worker thread Django's ASGI handler keeps for this request.

    Under ASGI each request runs its sync parts (sync middleware, a session or user read) in a
    thread of its own, kept until the response has been sent, which for a stream is when it
    ends: a thread per open screen. A stream calls this once the middleware is done (its first
    step): the thread closes its database connections and ends; the rest of the stream runs on
    the event loop and the shared pool (`db_moment`). Should asgiref rename these internals,
    the stream only keeps the thread, as before."""
    context_var = getattr(SyncToAsync, "thread_sensitive_context", None)
    executors = getattr(SyncToAsync, "context_to_thread_executor", None)
    context = context_var.get(None) if context_var is not None else None
    if context is None or executors is None:
        return
    executor = executors.pop(context, None)
    if executor is not None:
        executor.submit(connections.close_all)
        executor.shutdown(wait=False)


@dataclass
class _Build:
    started: float
    future: asyncio.Future[tuple[Any, str]]


# key -> the latest build of that state in this process (one event loop per process).
_builds: dict[Hashable, _Build] = {}


async def shared_state(
    key: Hashable, state: Callable[[datetime.datetime], Any], *, fresh_after: float
) -> tuple[Any, str]:
    """(state, its JSON) for `key`, built by one worker thread for every stream of the process
    that asks: a build started at or after `fresh_after` (time.monotonic()) is reused, else a
    new one starts. A notification received at t makes its streams ask for fresh_after=t, so
    a thousand boards woken by one call cost one build."""
    found = _builds.get(key)
    if (
        found is None
        or found.started < fresh_after
        or found.future.get_loop() is not asyncio.get_running_loop()
        or (found.future.done() and found.future.exception() is not None)
    ):

        def build() -> tuple[Any, str]:
            current = state(timezone.now())
            return current, json_data(current)

        found = _Build(time.monotonic(), asyncio.ensure_future(db_moment(build)()))
        _builds[key] = found
    return await asyncio.shield(found.future)


async def pushed_events(
    *,
    event: str,
    key: Hashable,
    channels: Iterable[str],
    state: Callable[[datetime.datetime], Any],
    seconds: float,
    refresh_seconds: float,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    on_build: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[str]:
    """Server-sent events named `event`: the state on connect, then again whenever it changed
    after a notification of `channels` (or at most `refresh_seconds` later, for changes of the
    clock), until `seconds` have passed. `key` names the state (every stream of the same key
    shares one build). `on_build` runs after each rebuild (a tablet's last-seen)."""
    release_request_thread()
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    deadline = time.monotonic() + seconds
    async with push.subscribe(channels) as subscription:
        _current, sent = await shared_state(key, state, fresh_after=time.monotonic())
        yield f"event: {event}\ndata: {sent}\n\n"
        last_sent = last_built = time.monotonic()
        while (remaining := deadline - time.monotonic()) > 0:
            wait = min(
                remaining,
                max(0.0, last_sent + heartbeat_seconds - time.monotonic()),
                max(0.0, last_built + refresh_seconds - time.monotonic()),
            )
            message = await subscription.next(timeout=wait)
            now = time.monotonic()
            if message is not None:
                # Several notifications waiting coalesce into one rebuild.
                fresh_after = max([message.at, *(m.at for m in subscription.drain())])
            elif now - last_built >= refresh_seconds:
                # A refresh by the clock: a build of the last half period will do.
                fresh_after = now - refresh_seconds / 2
            else:
                fresh_after = None
            if fresh_after is not None:
                _current, data = await shared_state(key, state, fresh_after=fresh_after)
                last_built = time.monotonic()
                if on_build is not None:
                    await on_build()
                if data != sent:
                    sent = data
                    yield f"event: {event}\ndata: {data}\n\n"
                    last_sent = time.monotonic()
                    continue
            if time.monotonic() - last_sent >= heartbeat_seconds:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()


def event_stream_response(
    events: Iterator[str] | AsyncIterator[str],
) -> StreamingHttpResponse:
    """The streaming response of `events`: never cached, never buffered by a proxy."""
    response = StreamingHttpResponse(events, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response["X-Accel-Buffering"] = "no"  # nginx: pass every event on at once
    return response
