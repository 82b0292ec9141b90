"""Running service calls at the same moment, each in its own thread and database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.utils import translation


def run_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread (own connection), released together by a barrier.

    Each result is the call's return value or the exception it raised. The language the test
    runs under is carried into the threads (translation activation is per thread), so the
    messages a test asserts read the same as in the test's own thread.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    language = translation.get_language()

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            with translation.override(language):
                barrier.wait()
                results[index] = call()
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
