"""Push to the screens (issue 20 item 2): a notification published after commit reaches the
subscribers of its channel (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL), a board's
async stream receives a call's event, and idle streams keep no database connection."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections, transaction
from django.test import AsyncClient, Client
from django.urls import reverse

from govhall.core import push
from govhall.core.events import record_event
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.services.tickets import ticket_call_next, ticket_take

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hall_open")]


def in_thread(function: Any) -> Any:
    """A sync call from the test's event loop, in a worker thread (its own connection, closed
    after, as a request of another process would)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return sync_to_async(run, thread_sensitive=False)


def off_the_loop(body: Any) -> None:
    """Run `body` in a thread of its own: a browser test before this one leaves Playwright's
    event loop running in the main thread, where neither asyncio.run nor a sync request to an
    async view may run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(body).result()


def board_events(chunk: bytes) -> list[dict[str, Any]]:
    found = []
    for block in chunk.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if lines.get("event") == "board":
            found.append(json.loads(lines["data"]))
    return found


def test_a_notification_after_commit_reaches_its_subscribers_once(county, other_county):
    expected = "postgresql" if connection.vendor == "postgresql" else "local"
    assert push.transport() == expected

    def two_events_then_one_rolled_back() -> None:
        with transaction.atomic():
            for _ in range(2):  # two events of one transaction: one notification
                record_event(
                    actor=None, action=FrontdeskEvent.NOTICE_CREATE, obj=county, center_id=county.pk
                )
        with transaction.atomic():
            record_event(
                actor=None, action=FrontdeskEvent.NOTICE_CREATE, obj=county, center_id=county.pk
            )
            transaction.set_rollback(True)  # nothing is published for a change rolled back

    async def run() -> None:
        mine = push.center_channel(county.pk)
        async with push.subscribe([mine]) as subscription:
            async with push.subscribe([push.center_channel(other_county.pk)]) as other:
                await in_thread(two_events_then_one_rolled_back)()
                message = await subscription.next(timeout=5)
                assert message is not None and message.channel == mine
                await in_thread(push.publish)("center:0", {"n": 1})
                assert await subscription.next(timeout=0.5) is None
                assert other.drain() == []

    off_the_loop(lambda: asyncio.run(run()))


def test_a_board_stream_receives_a_call_and_idle_streams_hold_no_connection(
    county, queue_groups, clerk, hall_window, settings
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 20
    ticket_take(group=queue_groups["A"])
    off_the_loop(lambda: _board_and_console(county, clerk, hall_window))


def _board_and_console(county: Any, clerk: Any, hall_window: Any) -> None:
    push_url = reverse("workbench:queue_console_push")
    page = Client()
    page.force_login(clerk)
    assert page.get(push_url).status_code == 204  # WSGI (the dev server): the console polls
    assert f'data-queue-push="{push_url}"' in page.get(reverse("workbench:queue_console")).text
    connection.close()
    postgresql = connection.vendor == "postgresql"
    count_sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"

    def connections_open() -> int:
        with connection.cursor() as cursor:
            cursor.execute(count_sql)
            return int(cursor.fetchone()[0])

    async def run() -> None:
        client = AsyncClient()
        console = AsyncClient()
        await console.aforce_login(clerk)
        before = await in_thread(connections_open)() if postgresql else 0
        pushed = await console.get(push_url)
        assert pushed["Content-Type"].startswith("text/event-stream")
        console_chunks = aiter(pushed.streaming_content)
        assert await anext(console_chunks) == b"retry: 500\n\n"
        assert (await anext(console_chunks)).startswith(b"event: queue\n")
        streams = []
        for _ in range(12):
            response = await client.get(f"/board/{county.code}/stream")
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/event-stream")
            chunks = aiter(response.streaming_content)
            assert await anext(chunks) == b"retry: 500\n\n"
            first = board_events(await anext(chunks))
            assert first[0]["calls"] == []
            streams.append(chunks)
        if postgresql:
            # Twelve open streams: the process's one listener, no connection per stream.
            assert await in_thread(connections_open)() <= before + 1
        await in_thread(ticket_call_next)(actor=clerk, window=hall_window)
        for chunks in streams:
            called = board_events(await asyncio.wait_for(anext(chunks), 5))
            assert called[0]["calls"][0]["speech"] == "请 A001 号到 1 号窗口办理"
        # The clerk's console hears of it too, and redraws its panel.
        assert (await asyncio.wait_for(anext(console_chunks), 5)).startswith(b"event: queue\n")
        for chunks in [*streams, console_chunks]:
            await chunks.aclose()  # type: ignore[attr-defined]
        # The login ran in asgiref's shared sync thread: close its connection too.
        await sync_to_async(connections.close_all)()

    try:
        asyncio.run(run())
    finally:
        connection.close()  # this thread's own connection
