"""Push: small change notifications from the services to the hall's open screens (issue 20).

A service that changes something a screen shows (a ticket taken or called, a window's sign, a
rating, a case delivered…) records its event with a center (`govhall.core.events.record_event`),
and that is the one place that publishes: `changed_on_commit(center_id)` sends one notification on
the center's channel (`center_channel`) AFTER the transaction commits, once per transaction and
channel however many events it wrote. Nothing is published for a change rolled back.

Transport, chosen once per process by `transport()`:

- "postgresql": NOTIFY on the database itself (one LISTEN connection per process), when the
  default database is PostgreSQL;
- "redis": Redis pub/sub, when GOVHALL_PUSH_REDIS_URL is set (or GOVHALL_BROKER_URL is a Redis
  URL) and the database is not PostgreSQL;
- "local": in-process only (SQLite, the dev server, tests): a notification reaches the streams of
  the same process.

All notifications travel on one transport channel (`TRANSPORT_CHANNEL`); the message carries the
logical channels ("center:12"), and each process hands a message only to the subscriptions that
asked for one of its channels. Receiving is `subscribe(channels)`, an async context manager
giving a `Subscription`: ONE listener task per process and event loop feeds every subscription's
queue, so a thousand open streams cost a thousand small queues, not a thousand connections.
When the listener (re)connects, every subscription gets a `RESYNC` message (a notification may
have been missed while it was away): the stream rebuilds its state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

log = logging.getLogger(__name__)

# The one NOTIFY / Redis channel every notification travels on.
TRANSPORT_CHANNEL = "govhall_push"
# The logical channel a subscription gets when the listener (re)connected.
RESYNC = "*resync*"
# How long a new subscription waits for the listener to be listening before it goes on.
READY_SECONDS = 5.0
# The pause before the listener tries again after losing its connection.
RETRY_SECONDS = 1.0


def center_channel(center_id: int) -> str:
    """The channel of everything a center's screens show."""
    return f"center:{center_id}"


def transport() -> str:
    """ "postgresql", "redis" or "local" (see the module text)."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return "postgresql"
    if redis_url():
        return "redis"
    return "local"


def redis_url() -> str:
    url = str(getattr(settings, "GOVHALL_PUSH_REDIS_URL", "") or "")
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


# -- publishing -------------------------------------------------------------------------------


def publish(channel: str, payload: dict[str, Any] | None = None) -> None:
    """Send one notification now (outside a transaction, or from `changed_on_commit`)."""
    publish_many([channel], payload)


def publish_many(channels: Iterable[str], payload: dict[str, Any] | None = None) -> None:
    """One notification for several channels. Never raises: a screen missing one notification
    catches up at its next refresh, a service must not fail for it."""
    message = {"channels": sorted(set(channels)), "payload": payload or {}}
    if not message["channels"]:
        return
    text = json.dumps(message, separators=(",", ":"))
    try:
        kind = transport()
        if kind == "postgresql":
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [TRANSPORT_CHANNEL, text])
        elif kind == "redis":
            _redis_client().publish(TRANSPORT_CHANNEL, text)
        else:
            _deliver_locally(text)
    except Exception:  # see the docstring
        log.warning("push: could not publish %s", text, exc_info=True)


_redis_lock = threading.Lock()
_redis_clients: dict[str, Any] = {}


def _redis_client() -> Any:
    import redis  # the Redis client is only needed with a Redis transport

    url = redis_url()
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=2)
    return client


@dataclass
class _Pending:
    channels: set[str] = field(default_factory=set)


def changed_on_commit(center_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Publish `center_channel(center_id)` after the current transaction commits (at once
    outside one): one notification per transaction for all its channels."""
    connection = connections[using]
    if not connection.in_atomic_block:
        publish(center_channel(center_id))
        return
    pending: _Pending | None = getattr(connection, "_govhall_push_pending", None)
    # Still registered with this transaction? (A rollback drops the callback, not our object.)
    if pending is None or not any(
        getattr(entry[1], "pending", None) is pending for entry in connection.run_on_commit
    ):
        pending = _Pending()
        connection._govhall_push_pending = pending  # type: ignore[attr-defined]
        transaction.on_commit(_Flush(pending, using), using=using, robust=True)
    pending.channels.add(center_channel(center_id))


@dataclass
class _Flush:
    pending: _Pending
    using: str

    def __call__(self) -> None:
        connection = connections[self.using]
        if getattr(connection, "_govhall_push_pending", None) is self.pending:
            del connection._govhall_push_pending  # type: ignore[attr-defined]
        publish_many(self.pending.channels)


# -- receiving --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    channel: str
    payload: dict[str, Any]
    at: float  # time.monotonic() when this process received it


class Subscription:
    """The queue of one open stream; see `subscribe`."""

    def __init__(self, channels: Iterable[str]) -> None:
        self.channels = frozenset(channels)
        self.queue: asyncio.Queue[Message] = asyncio.Queue()

    async def next(self, timeout: float | None = None) -> Message | None:
        """The next message, or None after `timeout` seconds."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def drain(self) -> list[Message]:
        """The messages already waiting (several changes coalesce into one rebuild)."""
        found = []
        while not self.queue.empty():
            found.append(self.queue.get_nowait())
        return found

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Message]:
        while True:
            yield await self.queue.get()


class _Hub:
    """The subscriptions of one event loop and its one listener task."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.subscriptions: set[Subscription] = set()
        self.listener: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def dispatch(self, text: str) -> None:
        try:
            message = json.loads(text)
            channels = set(message["channels"])
            payload = dict(message.get("payload") or {})
        except (ValueError, KeyError, TypeError):
            log.warning("push: unreadable message %r", text)
            return
        now = time.monotonic()
        for subscription in list(self.subscriptions):
            for channel in subscription.channels & channels:
                subscription.queue.put_nowait(Message(channel, payload, now))

    def resync(self) -> None:
        now = time.monotonic()
        for subscription in list(self.subscriptions):
            subscription.queue.put_nowait(Message(RESYNC, {}, now))

    def start(self) -> None:
        if self.listener is None or self.listener.done():
            self.ready.clear()
            self.listener = self.loop.create_task(self._listen(), name="govhall-push-listener")

    async def stop(self) -> None:
        task, self.listener = self.listener, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _listen(self) -> None:
        kind = transport()
        first = True
        while True:
            try:
                if kind == "postgresql":
                    await self._listen_postgresql(first)
                elif kind == "redis":
                    await self._listen_redis(first)
                else:
                    self._connected(first)
                    await asyncio.Event().wait()  # local: messages come through dispatch
            except asyncio.CancelledError:
                raise
            except Exception:  # lost the connection: try again
                log.warning("push: listener lost its connection", exc_info=True)
            self.ready.clear()
            first = False
            await asyncio.sleep(RETRY_SECONDS)

    def _connected(self, first: bool) -> None:
        self.ready.set()
        if not first:
            self.resync()

    async def _listen_postgresql(self, first: bool) -> None:
        import psycopg

        async with await psycopg.AsyncConnection.connect(
            **_psycopg_params(), autocommit=True
        ) as conn:
            await conn.execute(f"LISTEN {TRANSPORT_CHANNEL}")
            self._connected(first)
            async for notify in conn.notifies():
                self.dispatch(notify.payload)

    async def _listen_redis(self, first: bool) -> None:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(redis_url())
        try:
            pubsub = client.pubsub()
            await pubsub.subscribe(TRANSPORT_CHANNEL)
            self._connected(first)
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    data = item["data"]
                    self.dispatch(data.decode() if isinstance(data, bytes) else str(data))
        finally:
            await client.aclose()


def _psycopg_params() -> dict[str, Any]:
    """Connection parameters of the default database for a psycopg connection of our own."""
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    params: dict[str, Any] = {
        "dbname": config.get("NAME"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": config.get("PORT"),
    }
    for key, value in (config.get("OPTIONS") or {}).items():
        if isinstance(value, str | int) and key not in {
            "isolation_level",
            "server_side_binding",
            "assume_role",
            "prepare_threshold",
            "pool",
        }:
            params[key] = value
    return {key: value for key, value in params.items() if value not in (None, "")}


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Hub] = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def _hub() -> _Hub:
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None:
            hub = _hubs[loop] = _Hub(loop)
    return hub


def _deliver_locally(text: str) -> None:
    """The local transport: hand the message to every event loop of this process."""
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        if not hub.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                hub.loop.call_soon_threadsafe(hub.dispatch, text)


@contextlib.asynccontextmanager
async def subscribe(channels: Iterable[str]) -> AsyncIterator[Subscription]:
    """Receive the notifications of `channels` while the block runs. The process's listener is
    listening when the block starts (or READY_SECONDS passed): build the screen's state after
    entering, and no change committed after that is missed. The listener stops with the last
    subscription."""
    hub = _hub()
    subscription = Subscription(channels)
    hub.subscriptions.add(subscription)
    hub.start()
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(hub.ready.wait(), READY_SECONDS)
        yield subscription
    finally:
        hub.subscriptions.discard(subscription)
        if not hub.subscriptions:
            await hub.stop()
