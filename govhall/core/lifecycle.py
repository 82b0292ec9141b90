"""The shape of a lifecycle table (state machine as data), shared by the domain apps.

A table is rows of (state, action, who, next state, guard). `who` names the parties that may take
the action: roles (cases, tickets) or relations of the user to the object (the requester, the
head of their window, a manager of their center...), computed by the app. `guard` names a
condition the app checks (a predicate keyed by name, answering why not), so a table module stays
pure data. `next_state` None means the state does not change.

The same table answers three questions: which buttons a page draws, which actions the API
lists, and whether a service accepts a change (anything not in the table is refused).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    who: frozenset[str]
    next_state: str | None
    guard: str = ""  # "" means always


class TransitionTable:
    """Rows indexed by (state, action); one row per pair."""

    def __init__(self, rows: Iterable[Transition]) -> None:
        self.rows: tuple[Transition, ...] = tuple(rows)
        self._by_key = {(row.state, row.action): row for row in self.rows}
        assert len(self._by_key) == len(self.rows), "one row per (state, action)"

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.rows)

    def row(self, state: str, action: str) -> Transition | None:
        return self._by_key.get((state, action))

    def rows_from(self, state: str) -> list[Transition]:
        return [row for row in self.rows if row.state == state]

    def actions(self) -> list[str]:
        return list(dict.fromkeys(row.action for row in self.rows))

    def states_for(self, action: str) -> list[str]:
        """The states `action` may be taken from (for a bulk update's filter)."""
        return [row.state for row in self.rows if row.action == action]

    def who_may(self, action: str) -> frozenset[str]:
        """Everyone named by any row of `action` (whatever the state)."""
        return frozenset().union(*(row.who for row in self.rows if row.action == action))
