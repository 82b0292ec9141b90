"""Guards of the state machine: conditions on the case named by rows of the transition table.

`GUARDS[name](case)` says whether the row applies; `guard_refusal(name, case)` says why not,
in words for the clerk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.cases.statuses import CaseKind, TaskStatus
from govhall.catalog.models import Authorization


def joint(case: Case) -> bool:
    return case.kind == CaseKind.JOINT


def escalated(case: Case) -> bool:
    return case.kind == CaseKind.ESCALATED


def window_decides(case: Case) -> bool:
    """Immediate cases are decided at the window whatever its authorization; promised cases
    only with full authorization."""
    if case.kind == CaseKind.IMMEDIATE:
        return True
    return case.kind == CaseKind.PROMISED and case.authorization == Authorization.FULL


def window_reviews(case: Case) -> bool:
    return case.kind == CaseKind.PROMISED and case.authorization == Authorization.PARTIAL


def window_forwards(case: Case) -> bool:
    return case.kind == CaseKind.PROMISED and case.authorization == Authorization.LIMITED


def joint_done(case: Case) -> bool:
    """Every joint review task exists and is done."""
    tasks = list(case.joint_tasks.values_list("status", flat=True))
    return bool(tasks) and all(status == TaskStatus.DONE for status in tasks)


def not_extended(case: Case) -> bool:
    return case.extension_days == 0


def has_pending(case: Case) -> bool:
    """A green-channel case with materials still to bring."""
    return case.materials.filter(pending=True, received=False).exists()


def timeout_default(case: Case) -> bool:
    """The item's overdue review and approval steps default to approval (超时默认)."""
    return bool(case.item.overdue_defaults_to_approval)


def not_archived(case: Case) -> bool:
    return case.archived_at is None


GUARDS: dict[str, Callable[[Case], bool]] = {
    "joint": joint,
    "escalated": escalated,
    "window_decides": window_decides,
    "window_reviews": window_reviews,
    "window_forwards": window_forwards,
    "joint_done": joint_done,
    "not_extended": not_extended,
    "not_archived": not_archived,
    "has_pending": has_pending,
    "timeout_default": timeout_default,
}


def _message(name: str, case: Case) -> str:
    if name == "joint":
        return _("Only a joint case starts joint review.")
    if name == "escalated":
        return _("Only an escalated case is forwarded to the higher level.")
    if name == "window_decides":
        return _(
            "The window decides only immediate cases and cases of fully authorized items; "
            "this case is decided in the back office."
        )
    if name == "window_reviews":
        return _("The window reviews only promised cases of partially authorized items.")
    if name == "window_forwards":
        return _("The window forwards only promised cases of items with limited authorization.")
    if name == "joint_done":
        return _("The lead department decides only when every joint review task is done.")
    if name == "not_extended":
        return _("This case was already extended once; it cannot be extended again.")
    if name == "has_pending":
        return _("This case has no pending materials to receive.")
    if name == "timeout_default":
        return _("Overdue steps of this item do not default to approval.")
    if name == "not_archived":
        return _("This case is already archived.")
    return _("This action is not possible for this case now.")


def guard_refusal(name: str, case: Case) -> str | None:
    """Why the guard `name` forbids the action on `case`, or None when it allows it."""
    if not name:
        return None
    check = GUARDS[name]
    if check(case):
        return None
    return _message(name, case)
