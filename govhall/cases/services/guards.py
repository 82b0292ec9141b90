"""Guards of the state machine: conditions on the case named by rows of the transition table.

`GUARDS[name](case)` says whether the row applies; `guard_refusal(name, case, actor)` says why
not, in words for the clerk. Some rows also depend on who acts (`PERSON_GUARDS[name](case,
actor)`, checked after the case guard of the same name):

- 一审一核 (`not_reviewer`): whoever reviewed a case (its `case.review` events) never approves or
  denies it, whatever roles they hold;
- the window's authority (`window_decides`): a promised case of a fully authorised item (全部授权)
  is decided at the window by the window head / chief representative in the department's name,
  never by a clerk (seeds 002 三(一)1, 003 建议 二); an immediate case (即办件) by any window
  staff unless `GOVHALL_WINDOW_HEAD_DECIDES_IMMEDIATE`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case
from govhall.cases.services.prereview import prereview_done, prereview_refusal
from govhall.cases.statuses import CaseKind, Channel, TaskStatus
from govhall.catalog.models import Authorization
from govhall.core.models import Event, User
from govhall.core.roles import Role, roles_of
from govhall.org.models import Staff
from govhall.staffing.queries.cover import served_window_ids


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
    """A case with pending materials still to bring (green channel, or attachments the
    applicant promised at intake)."""
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
    "not_reviewer": lambda case: True,  # on who acts only: PERSON_GUARDS
    # issue 19: every department's pre-review task passed; the case came in online
    "prereview_done": prereview_done,
    "online": lambda case: case.channel == Channel.ONLINE,
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
    if name == "prereview_done":
        return prereview_refusal(case)
    if name == "online":
        return _("Only an online case takes a supplement uploaded online.")
    return _("This action is not possible for this case now.")


# --- guards on who acts ----------------------------------------------------------------------


def reviewed_by(case: Case) -> set[int]:
    """Ids of the people who reviewed `case` (its `case.review` events)."""
    return set(
        Event.objects.for_object(case)
        .filter(action=CaseEvent.REVIEW, actor__isnull=False)
        .values_list("actor_id", flat=True)
    )


def not_reviewer(case: Case, actor: User | None) -> bool:
    """一审一核: the reviewer of a case never approves or denies it."""
    if actor is None:
        return True
    return actor.pk not in reviewed_by(case)


def head_decision(case: Case) -> bool:
    """Whether the window's decision on `case` is the window head's (in the department's name)."""
    if case.kind == CaseKind.IMMEDIATE:
        return bool(settings.GOVHALL_WINDOW_HEAD_DECIDES_IMMEDIATE) and (
            case.authorization == Authorization.FULL
        )
    return case.kind == CaseKind.PROMISED and case.authorization == Authorization.FULL


def decides_for_department(case: Case, actor: User | None) -> bool:
    """The actor may take the window's decision on `case`: anyone the table admits for an
    ordinary immediate case; for a fully authorised item the window head / chief representative
    — the head of the case's window, or a holder of the role of the case's department serving it."""
    if not head_decision(case) or actor is None:
        return True
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    if Role.WINDOW_HEAD not in roles_of(actor):
        return False
    if case.window is not None and case.window.head_id == actor.pk:
        return True
    department = Staff.objects.filter(user_id=actor.pk).values_list("department_id", flat=True)
    return (
        case.window_id in served_window_ids(actor, None)
        and department.first() == case.department_id
    )


PERSON_GUARDS: dict[str, Callable[[Case, User | None], bool]] = {
    "not_reviewer": not_reviewer,
    "window_decides": decides_for_department,
}


def _person_message(name: str) -> str:
    if name == "not_reviewer":
        return _(
            "You reviewed this case: one person reviews, another approves (一审一核); "
            "the decision is taken by another approver."
        )
    return _(
        "A fully authorised item is decided at the window by the window head or chief "
        "representative in the department's name, not by a clerk."
    )


def guard_refusal(name: str, case: Case, actor: User | None = None) -> str | None:
    """Why the guard `name` forbids the action on `case` (taken by `actor`), or None when it
    allows it."""
    if not name:
        return None
    check = GUARDS[name]
    if not check(case):
        return _message(name, case)
    person = PERSON_GUARDS.get(name)
    if person is not None and not person(case, actor):
        return _person_message(name)
    return None
