"""Temporary absence (去向牌), cover records (AB岗责任制委托书) and empty-post alerts (空岗).

Rules (SPEC §8; seeds/001… AB岗工作制度; seeds/002… 去向牌 and
离岗超过20分钟需向窗口负责人请假，窗口负责人须安排其他工作人员替岗): a clerk leaving the post
puts up a where-and-until sign; more than 20 minutes needs the window head's approval and a
named cover; an unapproved absence over 2 hours counts as half a day's absenteeism.
When nobody can serve a post during service hours, the hall director is told at once
(a PostVacancy row and a "post_vacancy.open" event).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import WHOLE_FORM, FieldErrors
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Post, Staff, Window
from govhall.staffing.absence_transitions import (
    ABSENCE_TRANSITIONS,
    DECIDER,
    PERSON,
    AbsenceAction,
)
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models import Absence, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus, DelegationReason
from govhall.staffing.queries.cover import (
    in_service_hours,
    posts_with_people,
    unavailable_user_ids,
    who_serves_many,
)
from govhall.staffing.services.errors import StaleDecision

APPROVAL_NEEDED_AFTER = datetime.timedelta(minutes=20)
WHEREABOUTS_MAX_LENGTH = Absence._meta.get_field("whereabouts").max_length or 100
HALF_DAY_ABSENTEEISM_AFTER = datetime.timedelta(hours=2)


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at if at is not None else timezone.now()


def _staff_of(user: User) -> Staff:
    staff = Staff.objects.select_related("center").filter(user_id=user.pk).first()
    if staff is None:
        raise ValidationError(_("You have no workplace in any center."))
    return staff


def absence_needs_approval(absence: Absence, at: datetime.datetime | None = None) -> bool:
    """Planned or actual absence longer than 20 minutes (seeds/002…)."""
    moment = _now(at)
    end = absence.returned_at or max(absence.until, moment)
    return end - absence.starts_at > APPROVAL_NEEDED_AFTER


def needs_approval_q(at: datetime.datetime | None = None) -> Q:
    """`absence_needs_approval` of a running absence (not returned) as a filter, for counts."""
    moment = _now(at)
    return Q(until__gt=F("starts_at") + APPROVAL_NEEDED_AFTER) | Q(
        starts_at__lt=moment - APPROVAL_NEEDED_AFTER
    )


def _scan_after_commit(center: Center, at: datetime.datetime) -> None:
    """Raise or clear the empty-post alert as soon as the change is committed."""
    transaction.on_commit(lambda: vacancies_scan(center=center, at=at))


def _home_window(user: User, center: Center) -> Window | None:
    post = (
        Post.objects.filter(window__center=center)
        .filter(Q(a_staff=user) | Q(b_staff=user))
        .select_related("window")
        .order_by("-a_staff_id")  # the A post first when the person holds one
        .first()
    )
    if post is not None:
        return post.window
    return Window.objects.filter(center=center, head=user).order_by("number").first()


@transaction.atomic
def absence_start(
    *,
    actor: User,
    whereabouts: str,
    until: datetime.datetime,
    window: Window | None = None,
    at: datetime.datetime | None = None,
) -> Absence:
    """Put up the where-and-until sign (去向牌) for the actor, from `at` (default now)."""
    moment = _now(at)
    staff = _staff_of(actor)
    errors = FieldErrors()
    whereabouts = errors.text(
        "whereabouts",
        whereabouts,
        max_length=WHEREABOUTS_MAX_LENGTH,
        required=_("Say where you are going."),
    )
    if until is None or until <= moment:
        errors.add("until", _("The time you will be back must be later than now."))
    if window is not None and window.center_id != staff.center_id:
        errors.add("window", _("The window is not in your center."))
    # Lock the person's row so two quick clicks cannot put up two signs.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if Absence.objects.filter(user=actor, status=AbsenceStatus.AWAY).exists():
        errors.conflict(WHOLE_FORM, _("You are already away; say you are back first."))
    errors.raise_if_any()
    absence = Absence.objects.create(
        user=actor,
        center=staff.center,
        window=window or _home_window(actor, staff.center),
        whereabouts=whereabouts,
        starts_at=moment,
        until=until,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.ABSENCE_START,
        obj=absence,
        center_id=staff.center_id,
        data={
            "whereabouts": absence.whereabouts,
            "until": until.isoformat(),
            "needs_approval": absence_needs_approval(absence, moment),
        },
    )
    _scan_after_commit(staff.center, moment)
    return absence


# --- the state machine (govhall/staffing/absence_transitions.py) ------------------------------


class AbsenceViewer:
    """What `user` is to absences (the parties of the absence table): the absent person, or a
    decider — the head of the absence's window or a hall manager of its center subtree, never
    for their own absence. The centers managed are read once per viewer."""

    def __init__(self, user: object) -> None:
        self.user = user
        pk = getattr(user, "pk", None)
        self.pk = pk if isinstance(pk, int) else 0
        self._managed: set[int] | None = None

    def parties(self, absence: Absence) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        if absence.user_id == self.pk:
            return PERSON
        window = absence.window if absence.window_id is not None else None
        if window is not None and window.head_id == self.pk:
            return DECIDER
        if self._managed is None:
            self._managed = (
                set(centers_in_scope(self.user).values_list("pk", flat=True))
                if scope_of(self.user).can_manage
                else set()
            )
        return DECIDER if absence.center_id in self._managed else frozenset()


def _who_refusal(action: str) -> str:
    if action == AbsenceAction.APPROVE:
        return _("Only the window head of the absent person or a hall manager may approve.")
    return _("Only the person or their window head may end an absence.")


def _refusal(
    actor: object, absence: Absence, action: str, *, viewer: AbsenceViewer | None = None
) -> tuple[str, bool] | None:
    """`absence_refusal`, with whether it is stale: the absence ended, or was approved, since
    the actor's page was drawn."""
    parties = (viewer or AbsenceViewer(actor)).parties(absence)
    if not parties & ABSENCE_TRANSITIONS.who_may(action):
        return _who_refusal(action), False
    row = ABSENCE_TRANSITIONS.row(absence.status, action)
    if row is None:
        return _("This absence has already ended."), True
    if not parties & row.who:
        return _who_refusal(action), False
    if row.guard == "not_approved" and absence.approved_by_id is not None:
        return _("This absence is already approved."), True
    return None


def absence_refusal(
    actor: object, absence: Absence, action: str, *, viewer: AbsenceViewer | None = None
) -> str | None:
    """Why `actor` may not take `action` on `absence` (the transition table, its parties and
    guard), or None when allowed."""
    refusal = _refusal(actor, absence, action, viewer=viewer)
    return refusal[0] if refusal else None


def _refuse_unless_allowed(actor: User, absence: Absence, action: str) -> None:
    refusal = _refusal(actor, absence, action)
    if refusal:
        message, stale = refusal
        raise StaleDecision(message, code="stale") if stale else ValidationError(message)


def absence_actions(
    user: object, absence: Absence, *, viewer: AbsenceViewer | None = None
) -> list[Transition]:
    """The rows of the absence table `user` may take on `absence` (the page's buttons and the
    API's `actions`): exactly what the services accept."""
    viewer = viewer or AbsenceViewer(user)
    return [
        row
        for row in ABSENCE_TRANSITIONS.rows_from(absence.status)
        if absence_refusal(user, absence, row.action, viewer=viewer) is None
    ]


@transaction.atomic
def absence_return(
    *, actor: User, absence: Absence | None = None, at: datetime.datetime | None = None
) -> Absence:
    """Take the sign down: the person is back. Over 2 hours without approval is recorded as
    half a day's absenteeism (seeds/001…, seeds/002…)."""
    moment = _now(at)
    qs = Absence.objects.select_for_update(of=("self",)).select_related("window", "center")
    if absence is None:
        found = qs.filter(user=actor, status=AbsenceStatus.AWAY).first()
        if found is None:
            # The sign is already down (another tab, or the window head ended it).
            raise StaleDecision(_("You are not away."), code="stale")
    else:
        found = qs.filter(pk=absence.pk).first()
        if found is None:
            raise ValidationError(_("No such absence."))
    _refuse_unless_allowed(actor, found, AbsenceAction.RETURN)
    if moment < found.starts_at:
        raise ValidationError(_("The return cannot be before the absence began."))
    row = ABSENCE_TRANSITIONS.row(found.status, AbsenceAction.RETURN)
    assert row is not None and row.next_state is not None
    found.returned_at = moment
    found.status = row.next_state
    lasted = moment - found.starts_at
    found.counted_as_half_day_absenteeism = (
        found.approved_by_id is None and lasted > HALF_DAY_ABSENTEEISM_AFTER
    )
    found.save(
        update_fields=["returned_at", "status", "counted_as_half_day_absenteeism", "updated_at"]
    )
    Delegation.objects.filter(absence=found).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=moment)
    ).update(ends_at=moment)
    minutes = int(lasted.total_seconds() // 60)
    record_event(
        actor=actor,
        action=StaffingEvent.ABSENCE_RETURN,
        obj=found,
        center_id=found.center_id,
        data={"minutes": minutes},
    )
    if found.counted_as_half_day_absenteeism:
        record_event(
            actor=actor,
            action=StaffingEvent.ABSENCE_MARK_HALF_DAY_ABSENTEEISM,
            obj=found,
            center_id=found.center_id,
            note=_("Away %(minutes)d minutes without approval") % {"minutes": minutes},
            data={"minutes": minutes, "user_id": found.user_id},
        )
    _scan_after_commit(found.center, moment)
    return found


@transaction.atomic
def absence_approve(
    *, actor: User, absence: Absence, cover: User, at: datetime.datetime | None = None
) -> Absence:
    """The window head (or a hall manager) approves an absence and names who covers."""
    moment = _now(at)
    found = (
        Absence.objects.select_for_update(of=("self",))
        .select_related("window", "center", "user")
        .filter(pk=absence.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No such absence."))
    _refuse_unless_allowed(actor, found, AbsenceAction.APPROVE)
    errors = FieldErrors()
    if cover is None or cover.pk == found.user_id:
        errors.add("cover", _("The cover must be someone other than the absent person."))
    elif not (
        cover.is_active
        and Staff.objects.filter(
            user_id=cover.pk, center_id=found.center_id, is_window_staff=True
        ).exists()
    ):
        errors.add("cover", _("The cover must be window staff of this center."))
    elif cover.pk in unavailable_user_ids([cover.pk], moment):
        errors.add("cover", _("The cover is on leave or away too."))
    errors.raise_if_any()
    found.approved_by = actor
    found.cover = cover
    found.save(update_fields=["approved_by", "cover", "updated_at"])
    delegations = [
        Delegation(
            post=post,
            absent_user_id=found.user_id,
            cover_user=cover,
            reason=DelegationReason.ABSENCE,
            starts_at=moment,
            ends_at=None,
            absence=found,
        )
        for post in Post.objects.filter(a_staff_id=found.user_id, window__center=found.center)
    ]
    Delegation.objects.bulk_create(delegations)
    record_event(
        actor=actor,
        action=StaffingEvent.ABSENCE_APPROVE,
        obj=found,
        center_id=found.center_id,
        data={"cover_id": cover.pk, "posts": [d.post_id for d in delegations]},
    )
    _scan_after_commit(found.center, moment)
    return found


@transaction.atomic
def delegation_open_for_leave(*, actor: User | None, leave: Leave) -> list[Delegation]:
    """Open the cover records for an approved leave: for every post where the leave's user is
    A, B covers for the whole leave; the window head when B is also away at its start.

    Idempotent: a second call for the same leave opens nothing new. The leave module calls this
    right after approving a leave.
    """
    if leave.status != LeaveStatus.APPROVED:
        raise ValidationError(_("Only an approved leave opens a cover record."))
    posts = list(posts_with_people().filter(a_staff_id=leave.user_id))
    done = set(Delegation.objects.filter(leave=leave).values_list("post_id", flat=True))
    people = {pk for post in posts for pk in (post.b_staff_id, post.window.head_id) if pk}
    unavailable = unavailable_user_ids(people, leave.starts_at)
    opened: list[Delegation] = []
    for post in posts:
        if post.pk in done:
            continue
        b, head = post.b_staff, post.window.head
        if b is not None and b.is_active and b.pk not in unavailable:
            cover, reason = b, DelegationReason.LEAVE
        elif (
            head is not None
            and head.is_active
            and head.pk not in unavailable
            and head.pk != leave.user_id
        ):
            cover, reason = head, DelegationReason.BOTH_AWAY
        else:
            continue  # nobody to write down: the empty-post alert takes over
        opened.append(
            Delegation(
                post=post,
                absent_user_id=leave.user_id,
                cover_user=cover,
                reason=reason,
                starts_at=leave.starts_at,
                ends_at=leave.ends_at,
                leave=leave,
            )
        )
    Delegation.objects.bulk_create(opened)
    for delegation in opened:
        record_event(
            actor=actor,
            action=StaffingEvent.DELEGATION_OPEN,
            obj=delegation,
            center_id=leave.center_id,
            data={"leave_id": leave.pk, "cover_id": delegation.cover_user_id},
        )
    center = Center.objects.get(pk=leave.center_id)
    _scan_after_commit(center, timezone.now())
    return opened


@transaction.atomic
def vacancies_scan(
    *, center: Center, at: datetime.datetime | None = None
) -> tuple[Sequence[PostVacancy], Sequence[PostVacancy]]:
    """Open an empty-post alert for every post nobody can serve now, close the ones served
    again. Set-based and idempotent; outside service hours it does nothing.

    Returns (opened, closed).
    """
    moment = _now(at)
    if not in_service_hours(center, moment):
        return [], []
    # One scan per center at a time: the row lock orders concurrent scans.
    Center.objects.select_for_update().filter(pk=center.pk).first()
    posts = posts_with_people().filter(window__center=center, window__is_active=True)
    servings = who_serves_many(posts, moment)
    empty_ids = {s.post.pk for s in servings if s.user is None}
    open_rows = {
        row.post_id: row
        for row in PostVacancy.objects.filter(center=center, ended_at__isnull=True).select_related(
            "post", "post__window"
        )
    }
    opened = PostVacancy.objects.bulk_create(
        [
            PostVacancy(post=s.post, center=center, started_at=moment)
            for s in servings
            if s.user is None and s.post.pk not in open_rows
        ]
    )
    to_close = [row for post_id, row in open_rows.items() if post_id not in empty_ids]
    if to_close:
        PostVacancy.objects.filter(pk__in=[row.pk for row in to_close]).update(ended_at=moment)
        for row in to_close:
            row.ended_at = moment
    for vacancy in opened:
        record_event(
            actor=None,
            action=StaffingEvent.POST_VACANCY_OPEN,
            obj=vacancy,
            center_id=center.pk,
            note=_("Nobody can serve %(post)s: tell the hall director.") % {"post": vacancy.post},
            data={"post_id": vacancy.post_id, "notify": "director"},
        )
    for vacancy in to_close:
        record_event(
            actor=None,
            action=StaffingEvent.POST_VACANCY_CLOSE,
            obj=vacancy,
            center_id=center.pk,
            data={"post_id": vacancy.post_id},
        )
    return opened, to_close


def vacancies_scan_all(*, at: datetime.datetime | None = None) -> int:
    """Scan every active center (for a once-a-minute timer: a leave approved yesterday empties a
    post at this morning's opening without any write happening then). Returns alerts opened."""
    moment = _now(at)
    opened = 0
    for center in Center.objects.active().order_by("pk"):
        new, _closed = vacancies_scan(center=center, at=moment)
        opened += len(new)
    return opened
