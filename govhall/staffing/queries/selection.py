"""Reads of window staff selection (issue 21 item 1): what a user sees, what readiness steps a
selected person still lacks, and the trials (试用期) ending soon or waiting for a decision."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from govhall.core.roles import SELECTION_NOMINATOR_ROLES, SELECTION_READER_ROLES
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Staff
from govhall.staffing.models.assignment import Assignment
from govhall.staffing.models.selection import (
    ReadinessStep,
    SelectionStatus,
    StaffSelection,
)

#: Trials ending within this many days are listed before they end (the brief: a week).
TRIAL_SOON_DAYS = 7
#: An undecided trial of an ordinary change (not from a selection) is listed this long after it
#: ended; trials of selected people are listed until decided.
TRIAL_OVERDUE_LISTED_DAYS = 60


def selections_visible(user: object) -> QuerySet[StaffSelection]:
    """The selections `user` reads: the readers of their center subtree; a department leader
    (without a wider reader role) only their own department's nominations."""
    scope = scope_of(user)
    qs = StaffSelection.objects.select_related("center", "department", "window", "user")
    if scope.everything:
        return qs
    readers = scope.roles & SELECTION_READER_ROLES
    if not readers:
        return qs.none()
    qs = qs.filter(center__in=centers_in_scope(user))
    if readers <= SELECTION_NOMINATOR_ROLES:
        department_id = (
            Staff.objects.filter(user_id=getattr(user, "pk", None) or 0)
            .values_list("department_id", flat=True)
            .first()
        )
        qs = qs.filter(department_id=department_id or 0)
    return qs


def readiness_missing(selection: StaffSelection) -> list[ReadinessStep]:
    """The readiness steps (资格审查, 岗前培训 ×3) not yet recorded for `selection`."""
    done = set(selection.readiness.values_list("step", flat=True))
    return [step for step in ReadinessStep if step.value not in done]


def selection_of_person(user_id: int) -> StaffSelection | None:
    """The approved selection a person came through (the latest), or None for staff who did
    not (the staff before issue 21 are not affected by the readiness rule)."""
    return (
        StaffSelection.objects.filter(user_id=user_id, status=SelectionStatus.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def readiness_missing_for_person(user_id: int) -> list[ReadinessStep]:
    """The readiness steps a person still lacks before a first post; [] when none are missing
    or the person did not come through a selection."""
    selection = selection_of_person(user_id)
    return readiness_missing(selection) if selection is not None else []


def readiness_refusal(user_id: int) -> str | None:
    """Why a person may not be given an assignment yet (a selected person lacking readiness
    steps, seeds/002… 二2 "通过审核…经岗前培训后,方可上岗"), or None. Staff who did not come
    through a selection are not affected. Asked by `assignment_start` (and so by the post
    changes, which start assignments through it)."""
    missing = readiness_missing_for_person(user_id)
    if not missing:
        return None
    return _(
        "This person came through the window staff selection and may not serve before the "
        "qualification check and the pre-service training are recorded; missing: %(steps)s."
    ) % {"steps": "、".join(str(step.label) for step in missing)}


def trials_to_decide(center: Center, today: datetime.date) -> QuerySet[Assignment]:
    """Current assignments of `center` with no trial decision whose trial ends within a week or
    has ended: a selected person's until decided, an ordinary change's for 60 days."""
    selected = StaffSelection.objects.filter(status=SelectionStatus.APPROVED).values("user_id")
    return (
        Assignment.objects.filter(
            center=center,
            ends_on__isnull=True,
            trial_decision__isnull=True,
            trial_ends_on__lte=today + datetime.timedelta(days=TRIAL_SOON_DAYS),
        )
        .filter(
            Q(user_id__in=selected)
            | Q(trial_ends_on__gte=today - datetime.timedelta(days=TRIAL_OVERDUE_LISTED_DAYS))
        )
        .select_related("user", "department", "window")
        .order_by("trial_ends_on", "pk")
    )
