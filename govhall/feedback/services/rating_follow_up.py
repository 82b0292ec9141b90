"""The follow-up of a bad rating (差评): call-back and verification, rectification, telling the
citizen, appeal and management's decision (issue 15 item 1; `rating_transitions.py`).

Entry points (keyword-only, each atomic):
def rating_call_back(*, actor, rating, version, justified, note, at=None) -> Rating
def rating_rectify(*, actor, rating, version, result, at=None) -> Rating
def rating_tell(*, actor, rating, version, note="", at=None) -> Rating
def rating_appeal(*, actor, rating, version, reason, at=None) -> Rating
def rating_exclude(*, actor, rating, version, note, at=None) -> Rating
def rating_reject_appeal(*, actor, rating, version, note, at=None) -> Rating
def rating_actions(user, rating, *, viewer=None) -> list[Transition]
def rating_refusal(user, rating, action, *, viewer=None) -> str | None

Each checks its input first (every message at once, nothing changed), then locks the rating,
refuses a stale `version` (the version the page showed) as a `Conflict` (409), and asks the
transition table whether the actor may take the action now: a state that no longer allows it
is a `Conflict`, the wrong person a ValidationError; a rating the actor does not see is 404.

Side effects:
- a call-back finding a rating at level 1 (非常不满意) of a staff member justified records the
  staff fact "rated most unsatisfactory" (return-to-department rule) once per rating — an
  excluded rating never counts, and a rating found justified can no longer be appealed;
- telling the citizen sends an SMS (after commit) with a link to rate again (`rerate_token`);
- the overdue alerts (`services/rating_scan.py`) are withdrawn by the next scan once the step is
  done or the rating excluded.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models.ratings import FollowUpStatus, Rating, RatingLevel
from govhall.feedback.queries.rating_follow_up import BadRatingViewer
from govhall.feedback.rating_transitions import (
    APPEAL_DECISIONS,
    BEFORE_APPEAL,
    RATING_TRANSITIONS,
    RatingAction,
)
from govhall.feedback.services.rating_tokens import rerate_token
from govhall.org.models import Staff
from govhall.staffing.models.assignment import StaffFact, StaffFactKind
from govhall.staffing.services.assignments import staff_fact_record

NOTE_MAX_LENGTH = 1000
RECTIFICATION_MAX_LENGTH = 2000
SMS_RESULT_LENGTH = 60

ACTION_EVENTS = {
    RatingAction.CALL_BACK: FeedbackEvent.RATING_CALL_BACK,
    RatingAction.RECTIFY: FeedbackEvent.RATING_RECTIFY,
    RatingAction.TELL: FeedbackEvent.RATING_TELL,
    RatingAction.APPEAL: FeedbackEvent.RATING_APPEAL,
    RatingAction.EXCLUDE: FeedbackEvent.RATING_EXCLUDE,
    RatingAction.REJECT_APPEAL: FeedbackEvent.RATING_REJECT_APPEAL,
}


def fact_source(rating_id: int) -> str:
    """The `source` of the staff fact a rating records (one per rating)."""
    return f"rating:{rating_id}"


# --- the state machine ----------------------------------------------------------------------


def _guard_justified(rating: Rating) -> str:
    if rating.justified is not True:
        return StateRefusal(
            _("The verification found this rating not justified: nothing to rectify.")
        )
    return ""


def _guard_not_justified(rating: Rating) -> str:
    if rating.justified is not False:
        return StateRefusal(_("The verification found this rating justified: rectify it first."))
    return ""


def _guard_may_appeal(rating: Rating) -> str:
    if rating.appealed_at is not None:
        return StateRefusal(_("This rating was appealed once already; the appeal was rejected."))
    if rating.called_back_at is not None and rating.justified is not False:
        return StateRefusal(
            _("The verification found this rating justified; it cannot be appealed.")
        )
    return ""


RATING_GUARDS = {
    "justified": _guard_justified,
    "not_justified": _guard_not_justified,
    "may_appeal": _guard_may_appeal,
}


def _who_refusal(action: str, viewer: BadRatingViewer, rating: Rating) -> str:
    if viewer.is_rated(rating):
        return _("Nobody follows up or decides on a rating of their own service.")
    if action in APPEAL_DECISIONS:
        return _("Only a hall director managing the center decides on an appeal.")
    return _(
        "Only the window head or a leader of the responsible department follows up this rating."
    )


def rating_refusal(
    actor: object, rating: Rating, action: str, *, viewer: BadRatingViewer | None = None
) -> str | None:
    """Why `actor` may not take `action` on `rating` now (the table, its parties and guards),
    or None when allowed. A `StateRefusal` when the rating's state stands in the way."""
    viewer = viewer or BadRatingViewer(actor)
    parties = viewer.parties(rating)
    if not parties & RATING_TRANSITIONS.who_may(action):
        return _who_refusal(action, viewer, rating)
    row = RATING_TRANSITIONS.row(rating.follow_up, action)
    if row is None:
        return StateRefusal(
            _("This rating is “%(status)s”; that is no longer possible. Reload the page.")
            % {"status": FollowUpStatus(rating.follow_up).label}
        )
    if not parties & row.who:
        return _who_refusal(action, viewer, rating)
    if row.guard:
        return RATING_GUARDS[row.guard](rating) or None
    return None


def rating_actions(
    user: object, rating: Rating, *, viewer: BadRatingViewer | None = None
) -> list[Transition]:
    """The rows `user` may take on `rating` now: the buttons of the page and the API's
    `actions`, exactly what the services accept."""
    viewer = viewer or BadRatingViewer(user)
    return [
        row
        for row in RATING_TRANSITIONS.rows_from(rating.follow_up)
        if rating_refusal(user, rating, row.action, viewer=viewer) is None
    ]


# --- the services ---------------------------------------------------------------------------

_NOW = object()  # a field set to the moment of the action


def _next_state(row: Transition, rating: Rating) -> str:
    if row.next_state == BEFORE_APPEAL:
        return FollowUpStatus.VERIFIED if rating.called_back_at else FollowUpStatus.OPEN
    assert row.next_state is not None
    return row.next_state


def _act(
    *,
    actor: User,
    rating: Rating,
    action: RatingAction,
    version: object,
    at: datetime.datetime | None,
    errors: FieldErrors,
    fields: dict[str, object],
    note: str = "",
) -> Rating:
    expected = errors.whole_number(
        "version", version, minimum=1, required=_("Send the version the page showed.")
    )
    errors.raise_if_any()
    now = at or timezone.now()
    viewer = BadRatingViewer(actor)
    with transaction.atomic():
        locked = (
            Rating.objects.select_for_update(of=("self",))
            .select_related("window", "staff")
            .filter(viewer.visible(), pk=rating.pk)
            .first()
        )
        if locked is None:
            raise Http404
        if expected != locked.version:
            raise Conflict(
                {
                    "version": [
                        _(
                            "This rating changed since you opened it (it is now “%(status)s”); "
                            "reload the page."
                        )
                        % {"status": FollowUpStatus(locked.follow_up).label}
                    ]
                },
                code="stale",
            )
        refusal = rating_refusal(actor, locked, action, viewer=viewer)
        if refusal:
            raise refusal_error(refusal)
        row = RATING_TRANSITIONS.row(locked.follow_up, action)
        assert row is not None
        before = locked.follow_up
        locked.follow_up = _next_state(row, locked)
        locked.version += 1
        stamped = {name: (now if value is _NOW else value) for name, value in fields.items()}
        for name, value in stamped.items():
            setattr(locked, name, value)
        locked.save(update_fields=["follow_up", "version", *stamped])
        data: dict[str, object] = {"from": before, "to": locked.follow_up}
        if action == RatingAction.CALL_BACK:
            data["justified"] = locked.justified
        record_event(
            actor=actor,
            action=ACTION_EVENTS[action],
            obj=locked,
            center_id=locked.center_id,
            note=note,
            data=data,
        )
        if action == RatingAction.CALL_BACK:
            _record_most_unsatisfactory(locked)
        elif action == RatingAction.TELL:
            _tell_citizen(locked)
    # Keep the caller's object in step with the row.
    rating.refresh_from_db()
    return locked


def _record_most_unsatisfactory(rating: Rating) -> None:
    """A justified level-1 rating of a staff member: the fact "rated most unsatisfactory",
    once per rating (its source names the rating)."""
    if rating.justified is not True or rating.level != RatingLevel.VERY_DISSATISFIED:
        return
    if rating.staff_id is None or rating.excluded:
        return
    if not Staff.objects.filter(user_id=rating.staff_id).exists():
        return
    source = fact_source(rating.pk)
    kind = StaffFactKind.MOST_UNSATISFACTORY
    if StaffFact.objects.filter(user_id=rating.staff_id, kind=kind, source=source).exists():
        return
    staff = rating.staff
    assert staff is not None
    staff_fact_record(
        actor=None,
        user=staff,
        kind=kind,
        occurred_on=min(timezone.localdate(rating.rated_at), timezone.localdate()),
        source=source,
        note=_("Bad rating found justified at the call-back"),
    )


def rerate_url(rating_id: int) -> str:
    """The public link to rate again after a followed-up bad rating."""
    token = rerate_token(rating_id)
    try:
        path = reverse("portal:rate", kwargs={"token": token})
    except NoReverseMatch:  # the portal's rating page is not installed
        path = f"/rate/{token}/"
    return f"{getattr(settings, 'GOVHALL_PUBLIC_URL', '')}{path}"


def _tell_citizen(rating: Rating) -> None:
    """The citizen learns the result by SMS after commit, with a link to rate again."""
    phone = rating.rater_phone.strip()
    if not phone:
        return
    result = " ".join((rating.rectification or rating.call_back_note).split())
    if len(result) > SMS_RESULT_LENGTH:
        result = result[: SMS_RESULT_LENGTH - 1] + "…"
    text = _(
        "About your rating of our service: %(result)s Thank you. You may rate us again: %(link)s"
    ) % {"result": result, "link": rerate_url(rating.pk)}
    pk, center_id = rating.pk, rating.center_id

    def send() -> None:
        send_sms(
            to=phone,
            text=text,
            purpose="feedback.rating_result",
            obj=Rating(pk=pk),
            center_id=center_id,
        )

    transaction.on_commit(send)


def rating_call_back(
    *,
    actor: User,
    rating: Rating,
    version: object,
    justified: object,
    note: object,
    at: datetime.datetime | None = None,
) -> Rating:
    """The department called the citizen back and verified the rating: `justified` (the cause
    lies with us) or not, and what was found (`note`, required)."""
    errors = FieldErrors()
    finding = errors.flag("justified", justified)
    if finding is None and "justified" not in errors:
        errors.add("justified", _("Say whether the rating was justified."))
    text = errors.text(
        "note",
        note,
        max_length=NOTE_MAX_LENGTH,
        required=_("Write what the citizen said and what the verification found."),
    )
    return _act(
        actor=actor,
        rating=rating,
        action=RatingAction.CALL_BACK,
        version=version,
        at=at,
        errors=errors,
        fields={
            "called_back_at": _NOW,
            "called_back_by": actor,
            "call_back_note": text,
            "justified": finding,
        },
        note=text,
    )


def rating_rectify(
    *,
    actor: User,
    rating: Rating,
    version: object,
    result: object,
    at: datetime.datetime | None = None,
) -> Rating:
    """The department rectified what the justified rating found, with the result (required)."""
    errors = FieldErrors()
    text = errors.text(
        "result",
        result,
        max_length=RECTIFICATION_MAX_LENGTH,
        required=_("Write what was rectified and the result."),
    )
    return _act(
        actor=actor,
        rating=rating,
        action=RatingAction.RECTIFY,
        version=version,
        at=at,
        errors=errors,
        fields={"rectification": text, "rectified_at": _NOW, "rectified_by": actor},
        note=text,
    )


def rating_tell(
    *,
    actor: User,
    rating: Rating,
    version: object,
    note: object = "",
    at: datetime.datetime | None = None,
) -> Rating:
    """The result was told to the citizen (an SMS with a link to rate again goes to a rating
    with a phone number); `note` says how, optional."""
    errors = FieldErrors()
    text = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    return _act(
        actor=actor,
        rating=rating,
        action=RatingAction.TELL,
        version=version,
        at=at,
        errors=errors,
        fields={"citizen_told_at": _NOW},
        note=text,
    )


def rating_appeal(
    *,
    actor: User,
    rating: Rating,
    version: object,
    reason: object,
    at: datetime.datetime | None = None,
) -> Rating:
    """The department appeals the rating as malicious or mistaken (the reason is required);
    management decides."""
    errors = FieldErrors()
    text = errors.text(
        "reason",
        reason,
        max_length=NOTE_MAX_LENGTH,
        required=_("Say why the rating is malicious or mistaken."),
    )
    return _act(
        actor=actor,
        rating=rating,
        action=RatingAction.APPEAL,
        version=version,
        at=at,
        errors=errors,
        fields={"appeal_reason": text, "appealed_at": _NOW, "appealed_by": actor},
        note=text,
    )


def _decide(
    *,
    actor: User,
    rating: Rating,
    action: RatingAction,
    version: object,
    note: object,
    required: str,
    at: datetime.datetime | None,
) -> Rating:
    errors = FieldErrors()
    text = errors.text("note", note, max_length=NOTE_MAX_LENGTH, required=required)
    fields: dict[str, object] = {
        "appeal_decision_note": text,
        "appeal_decided_at": _NOW,
        "appeal_decided_by": actor,
    }
    if action == RatingAction.EXCLUDE:
        fields["excluded"] = True
    return _act(
        actor=actor,
        rating=rating,
        action=action,
        version=version,
        at=at,
        errors=errors,
        fields=fields,
        note=text,
    )


def rating_exclude(
    *,
    actor: User,
    rating: Rating,
    version: object,
    note: object,
    at: datetime.datetime | None = None,
) -> Rating:
    """Management agrees with the appeal: the rating leaves the figures (the row, the appeal's
    reason and this note are kept)."""
    return _decide(
        actor=actor,
        rating=rating,
        action=RatingAction.EXCLUDE,
        version=version,
        note=note,
        required=_("Say why the rating is excluded."),
        at=at,
    )


def rating_reject_appeal(
    *,
    actor: User,
    rating: Rating,
    version: object,
    note: object,
    at: datetime.datetime | None = None,
) -> Rating:
    """Management rejects the appeal: the rating goes back to where it was (verified when it
    was called back, else open) and its deadlines still hold."""
    return _decide(
        actor=actor,
        rating=rating,
        action=RatingAction.REJECT_APPEAL,
        version=version,
        note=note,
        required=_("Say why the appeal is rejected."),
        at=at,
    )
