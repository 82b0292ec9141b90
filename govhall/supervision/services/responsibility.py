"""Who answers for a case's alert: whoever serves the case's window now (A/B cover).

Entry point:
def case_responsible(rows, moment) -> dict[case id, user id or None]
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from govhall.staffing.queries.cover import posts_with_people, who_serves_many

# (case id, center id, window id, received by (user id), a date — unused here): the row shape the
# case scans read.
CaseRow = tuple[int, int, int | None, int | None, datetime.date]


def case_responsible(rows: list[CaseRow], moment: datetime.datetime) -> dict[int, int | None]:
    """Who answers for each case now: whoever serves the case's window (A/B cover) — the post
    of the clerk who received it, else the window's first post —, else that clerk."""
    windows = {window for _pk, _center, window, _by, _due in rows if window is not None}
    posts = list(posts_with_people().filter(window_id__in=windows).order_by("id"))
    by_window: dict[int, list[Any]] = defaultdict(list)
    for serving in who_serves_many(posts, moment):
        by_window[serving.post.window_id].append(serving)
    answer: dict[int, int | None] = {}
    for pk, _center, window, received_by, _due in rows:
        servings = by_window.get(window or 0, [])
        own = [s for s in servings if s.post.a_staff_id == received_by and s.user is not None]
        anyone = [s for s in servings if s.user is not None]
        chosen = (own or anyone or [None])[0]
        answer[pk] = chosen.user.pk if chosen is not None else received_by
    return answer
