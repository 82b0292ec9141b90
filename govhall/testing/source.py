"""Reading our own source in tests (layer, role-set, event-name and error-policy checks)."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor

_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ast-parse")


def parse_source(source: str) -> ast.Module:
    """`ast.parse` on a thread of its own.

    CPython 3.11 can leave a thread's AST recursion counter off after an earlier RecursionError
    was caught on it (hypothesis provokes some), and then `ast.parse` there fails with
    "SystemError: AST constructor recursion depth mismatch"; a separate thread never saw one.
    """
    return _PARSER.submit(ast.parse, source).result()
