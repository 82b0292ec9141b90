"""The duty board's answer (在岗, issue 17 item 6): who is at each post at a moment, and whether
they are really there or only expected.

Who serves a post is `govhall.staffing.queries.cover.who_serves_many` (A, cover, B, head…). The
board adds what is *true* at the moment `at`, by the phase of the post's center that day:

- before the morning opening of a working day: nobody is present yet; the person who will
  serve is shown as **expected**;
- from the opening to the afternoon closing: the person is **present** (在岗) when they have
  signed in that day and not signed out since (and are not away or on leave: cover already
  leaves those out); otherwise **expected** (not signed in yet, e.g. within the grace period).
  In a hall without sign-in terminals (GOVHALL_COVER_NEEDS_SIGN_IN off) whoever serves during
  these hours is present;
- after the closing, and on days off: **closed**, nobody is on duty;
- a post nobody can serve is **empty** (空岗) whatever the time.

Every function takes the moment (`at`), so tests fix it instead of depending on the clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils import timezone

from govhall.org.models import Center, Post
from govhall.staffing.queries.cover import Serving, not_signed_in_user_ids, who_serves_many
from govhall.workdays.queries.calendar import calendar_for

HallPhase = Literal["before", "open", "after", "off"]
BoardState = Literal["present", "expected", "closed", "empty"]


@dataclass(frozen=True)
class BoardRow:
    """One post on the board: who serves it (cover's answer) and whether they are there."""

    serving: Serving
    state: BoardState

    @property
    def post(self) -> Post:
        return self.serving.post

    @property
    def is_present(self) -> bool:
        return self.state == "present"


def hall_phase(center: Center, at: datetime.datetime) -> HallPhase:
    """Where `at` falls in `center`'s day: before the morning opening, open (from the opening to
    the afternoon closing, the midday break included), after the closing, or a day off."""
    local = timezone.localtime(at)
    try:
        workday = calendar_for(center.pk).is_workday(local.date())
    except ValueError:  # outside the work calendar's range: weekends only
        workday = local.weekday() < 5
    if not workday:
        return "off"
    clock = local.time()
    if clock < center.morning_opens:
        return "before"
    if clock >= center.afternoon_closes:
        return "after"
    return "open"


def duty_board(posts: Iterable[Post], at: datetime.datetime) -> list[BoardRow]:
    """The board rows for `posts` at `at`, in their order (see the module text). Pass posts
    loaded as `posts_with_people` does; one query more than `who_serves_many`."""
    servings = who_serves_many(posts, at)
    phases: dict[int, HallPhase] = {}
    for serving in servings:
        center = serving.post.window.center
        if center.pk not in phases:
            phases[center.pk] = hall_phase(center, at)
    at_work = {
        serving.user.pk
        for serving in servings
        if serving.user is not None and phases[serving.post.window.center_id] == "open"
    }
    not_signed_in = (
        not_signed_in_user_ids(at_work, at) if settings.GOVHALL_COVER_NEEDS_SIGN_IN else set()
    )
    rows: list[BoardRow] = []
    for serving in servings:
        phase = phases[serving.post.window.center_id]
        state: BoardState
        if serving.user is None:
            state = "empty"
        elif phase == "before":
            state = "expected"
        elif phase in ("after", "off"):
            state = "closed"
        else:
            state = "expected" if serving.user.pk in not_signed_in else "present"
        rows.append(BoardRow(serving=serving, state=state))
    return rows
