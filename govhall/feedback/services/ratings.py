"""Giving a rating (好差评, 国办发〔2019〕51号; issue 15 item 1): the one way a Rating row is
written, whatever the channel (the window's rating screen, the QR code on a ticket or notice,
the SMS invitation, the progress page, the online hall, or staff entering it after a
phone call-back).

Entry point:
def rating_give(*, actor, kind, occasion_id, level, channel, ...) -> Rating

The rules:
- A ticket is rated once it is finished (DONE), a case once it is delivered; the rating carries
  the occasion's center, item, department, window and the person who actually served: for a
  ticket the clerk who called it at the window, for a case the clerk who delivered it, else who
  serves its window now (A/B cover, `supervision.services.responsibility.case_responsible`).
- One first rating per occasion (the database constraint `rating_one_per_occasion`; a second,
  even at the same moment, is a `Conflict`). A re-rating (`supersedes`) follows a bad rating
  whose follow-up is CLOSED, once.
- Taken up to GOVHALL_RATING_SUPPLEMENT_DAYS calendar days after the occasion's moment (the
  ticket finished, the case delivered): the local date of the rating minus the occasion's local
  date is at most that many days. Given later than GOVHALL_RATING_SCREEN_SECONDS after the
  moment it is a supplementary rating (补充评价).
- A bad rating (the bottom two levels) needs a reason from the list ('other' needs text); it
  opens the follow-up (call back within GOVHALL_RATING_CALL_BACK_WORKDAYS working days,
  rectify within GOVHALL_RATING_RECTIFY_WORKDAYS) and tells the department's leaders and the
  window head at once by SMS after commit; the follow-up inbox shows it in the workbench.
- A rating taken by phone (PHONE_CALL_BACK) is entered by the rating office of the occasion's
  scope (`access/ratings.py`), recorded as `entered_by`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.core.events import record_event
from govhall.core.idnumbers import phone_error
from govhall.core.models import Event, User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.core.roles import Role
from govhall.core.validation import Conflict, FieldErrors
from govhall.feedback.access.ratings import may_enter_rating_for
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import (
    BAD_LEVELS,
    BadRatingReason,
    FollowUpStatus,
    Rating,
    RatingChannel,
)
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.supervision.services.raising import manager_phones
from govhall.supervision.services.responsibility import case_responsible
from govhall.workdays.queries.calendar import deadline_at

TICKET = "ticket"
CASE = "case"
OCCASION_KINDS = (TICKET, CASE)
# Field lengths (the model's).
COMMENT_MAX_LENGTH = 500
NAME_MAX_LENGTH = 60
PHONE_MAX_LENGTH = 20


class RatingConflict(Conflict):
    """The occasion was rated already, or the rating was re-rated already (409)."""


@dataclass(frozen=True)
class Occasion:
    """What a rating is about: the row's occasion fields, and the moment of the service."""

    kind: str
    key: str  # "ticket:<id>" / "case:<id>"
    center_id: int
    moment: datetime.datetime | None  # finished / delivered; None: not rateable yet
    values: dict[str, Any]  # ticket/case, item, department, window, staff
    applicant_name: str = ""
    applicant_phone: str = ""


def occasion_of(kind: str, occasion_id: int) -> Occasion:
    """The occasion `kind`:`occasion_id` with what a rating of it records; Http404 when there
    is no such ticket or case."""
    if kind == TICKET:
        ticket = (
            Ticket.objects.select_related("group", "case", "window").filter(pk=occasion_id).first()
        )
        if ticket is None:
            raise Http404
        return _ticket_occasion(ticket)
    if kind == CASE:
        case = Case.objects.select_related("applicant").filter(pk=occasion_id).first()
        if case is None:
            raise Http404
        return _case_occasion(case)
    raise Http404


def _ticket_occasion(ticket: Ticket) -> Occasion:
    case = ticket.case
    department_id = ticket.group.department_id or (case.department_id if case else None)
    return Occasion(
        kind=TICKET,
        key=f"{TICKET}:{ticket.pk}",
        center_id=ticket.center_id,
        moment=ticket.finished_at if ticket.status == TicketStatus.DONE else None,
        values={
            "ticket": ticket,
            "case": case,
            "item_id": case.item_id if case else None,
            "department_id": department_id,
            "window_id": ticket.window_id,
            "staff_id": ticket.called_by_id,
        },
        applicant_phone=ticket.phone,
    )


def case_served_by(case: Case) -> int | None:
    """Who served the citizen for `case`: the clerk of its delivery, else whoever serves its
    window now (A/B cover), else the clerk who received it."""
    delivered_by = (
        Event.objects.filter(
            action=CaseEvent.DELIVER, object_type=Case._meta.label_lower, object_id=str(case.pk)
        )
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if delivered_by is not None:
        return int(delivered_by)
    moment = case.delivered_at or timezone.now()
    row = (case.pk, case.center_id, case.window_id, case.received_by_id, timezone.localdate(moment))
    return case_responsible([row], moment).get(case.pk)


def _case_occasion(case: Case) -> Occasion:
    delivered = case.status == CaseStatus.DELIVERED and case.delivered_at is not None
    return Occasion(
        kind=CASE,
        key=f"{CASE}:{case.pk}",
        center_id=case.center_id,
        moment=case.delivered_at if delivered else None,
        values={
            "case": case,
            "item_id": case.item_id,
            "department_id": case.department_id,
            "window_id": case.window_id,
            "staff_id": case_served_by(case) if delivered else None,
        },
        applicant_name=case.applicant.name,
        applicant_phone=case.applicant.phone,
    )


def rating_window_closes(moment: datetime.datetime) -> datetime.date:
    """The last local day a rating of an occasion served at `moment` is taken (补充评价 limit)."""
    return timezone.localdate(moment) + datetime.timedelta(
        days=settings.GOVHALL_RATING_SUPPLEMENT_DAYS
    )


def occasion_refusal(occasion: Occasion, now: datetime.datetime) -> str:
    """Why the occasion cannot be rated at `now` (empty: it can, first rating aside)."""
    if occasion.moment is None:
        if occasion.kind == TICKET:
            return _("This ticket is not finished yet; it can be rated once it is.")
        return _("This case is not delivered yet; it can be rated once it is.")
    if timezone.localdate(now) > rating_window_closes(occasion.moment):
        return _(
            "The time for rating this service has passed (ratings are taken up to "
            "%(days)d days after it)."
        ) % {"days": settings.GOVHALL_RATING_SUPPLEMENT_DAYS}
    return ""


def already_rated_message() -> str:
    return _("This service has been rated already; thank you.")


@transaction.atomic
def rating_give(
    *,
    actor: User | None,
    kind: str,
    occasion_id: int,
    level: int,
    channel: str,
    reason: str = "",
    comment: str = "",
    rater_name: str = "",
    rater_phone: str = "",
    supersedes: Rating | None = None,
    now: datetime.datetime | None = None,
) -> Rating:
    """Record a citizen's rating of a finished ticket or a delivered case (see the module text).

    Refused input is a ValidationError by field; a rating that exists already is a
    `RatingConflict`; an occasion that does not exist, or a phone entry by someone outside the
    occasion's scope, is Http404. Nothing is written when refused."""
    now = now or timezone.now()
    if kind not in OCCASION_KINDS:
        raise Http404
    occasion = occasion_of(kind, occasion_id)
    errors = FieldErrors()

    if channel not in RatingChannel.values:
        errors.add("channel", _("Choose how the rating was given."))
    entered_by: User | None = None
    if channel == RatingChannel.PHONE_CALL_BACK:
        if actor is None or not actor.is_authenticated:
            raise Http404
        if not may_enter_rating_for(
            actor,
            center_id=occasion.center_id,
            department_id=occasion.values["department_id"],
        ):
            raise Http404
        entered_by = actor

    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
        errors.add("level", _("Choose one of the five levels."))
        level = 0
    bad = level in BAD_LEVELS
    reason = str(reason or "").strip()
    comment = errors.text("comment", comment, max_length=COMMENT_MAX_LENGTH)
    if bad:
        if not reason:
            errors.add("reason", _("Choose why you are not satisfied."))
        elif reason not in BadRatingReason.values:
            errors.add("reason", _("Choose a reason from the list."))
        elif reason == BadRatingReason.OTHER and not comment:
            errors.add("comment", _("Say in a few words what was wrong."))
    else:
        reason = ""  # only a bad rating carries a reason
    rater_name = errors.text("rater_name", rater_name, max_length=NAME_MAX_LENGTH)
    rater_phone = errors.text("rater_phone", rater_phone, max_length=PHONE_MAX_LENGTH)
    if rater_phone and "rater_phone" not in errors:
        problem = phone_error(rater_phone)
        if problem:
            errors.add("rater_phone", problem)

    if supersedes is not None:
        # Lock the rating re-rated: two re-ratings at once are one re-rating and a conflict.
        locked = Rating.objects.select_for_update().filter(pk=supersedes.pk).first()
        if locked is None or locked.occasion != occasion.key:
            raise Http404
        supersedes = locked
        if supersedes.follow_up != FollowUpStatus.CLOSED:
            errors.conflict(
                "supersedes",
                _("This rating can be given again only once its follow-up is closed."),
            )
        elif Rating.objects.filter(supersedes=supersedes).exists():
            errors.conflict("supersedes", _("This service has been rated again already."))
    else:
        refusal = occasion_refusal(occasion, now)
        if refusal:
            errors.add("occasion", refusal)
        elif Rating.objects.filter(occasion=occasion.key, supersedes__isnull=True).exists():
            errors.conflict("occasion", already_rated_message())
    try:
        errors.raise_if_any()
    except Conflict as conflict:
        raise RatingConflict(conflict.message_dict) from None

    if supersedes is not None:
        # The re-rating copies the occasion's details from the rating it replaces.
        occasion_values: dict[str, Any] = {
            "center_id": supersedes.center_id,
            "ticket_id": supersedes.ticket_id,
            "case_id": supersedes.case_id,
            "item_id": supersedes.item_id,
            "department_id": supersedes.department_id,
            "window_id": supersedes.window_id,
            "staff_id": supersedes.staff_id,
        }
        rater_name = rater_name or supersedes.rater_name
        rater_phone = rater_phone or supersedes.rater_phone
    else:
        occasion_values = {"center_id": occasion.center_id, **occasion.values}
        rater_name = rater_name or occasion.applicant_name
        rater_phone = rater_phone or occasion.applicant_phone
    # A re-rating is not late: it answers the rectification, not the service's moment.
    supplementary = (
        supersedes is None
        and occasion.moment is not None
        and now - occasion.moment
        > datetime.timedelta(seconds=settings.GOVHALL_RATING_SCREEN_SECONDS)
    )
    rating = Rating(
        occasion=occasion.key,
        channel=channel,
        level=level,
        reason=reason,
        comment=comment,
        rater_name=rater_name,
        rater_phone=rater_phone,
        rated_at=now,
        is_supplementary=supplementary,
        supersedes=supersedes,
        entered_by=entered_by,
        **occasion_values,
    )
    if bad:
        center = rating.center
        today = timezone.localdate(now)
        rating.follow_up = FollowUpStatus.OPEN
        rating.call_back_due_at = deadline_at(
            center.pk, today, settings.GOVHALL_RATING_CALL_BACK_WORKDAYS, center.closing_time
        )
        rating.rectify_due_at = deadline_at(
            center.pk, today, settings.GOVHALL_RATING_RECTIFY_WORKDAYS, center.closing_time
        )
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        # Someone rated the same occasion (or re-rated the same rating) a moment earlier.
        if supersedes is not None:
            raise RatingConflict(
                {"supersedes": [_("This service has been rated again already.")]}
            ) from None
        raise RatingConflict({"occasion": [already_rated_message()]}) from None
    record_event(
        actor=actor,
        action=FeedbackEvent.RATING_GIVE,
        obj=rating,
        center_id=rating.center_id,
        note=rating.get_level_display(),
        data={
            "occasion": rating.occasion,
            "level": level,
            "channel": channel,
            "reason": reason,
            "supplementary": supplementary,
            "supersedes": supersedes.pk if supersedes else None,
        },
    )
    if bad:
        _tell_bad_rating(rating)
    return rating


def bad_rating_phones(rating: Rating) -> list[str]:
    """Who is told of a bad rating at once: the department's leaders and the window head."""
    phones: list[str] = []
    if rating.department_id:
        phones.extend(
            manager_phones(Role.DEPT_LEADER, "department_id", {rating.department_id}).get(
                rating.department_id, []
            )
        )
    if rating.window_id:
        head_phone = (
            User.objects.filter(headed_windows=rating.window_id, is_active=True)
            .values_list("phone", flat=True)
            .first()
        )
        if head_phone:
            phones.append(head_phone)
    seen: list[str] = []
    for phone in phones:
        phone = phone.strip()
        if phone and phone not in seen:
            seen.append(phone)
    return seen


def _tell_bad_rating(rating: Rating) -> None:
    phones = bad_rating_phones(rating)
    if not phones:
        return
    window = str(rating.window) if rating.window_id else "-"
    text = _(
        "Bad rating (%(level)s) at window %(window)s: %(reason)s. Call the citizen back by %(due)s."
    ) % {
        "level": rating.get_level_display(),
        "window": window,
        "reason": rating.get_reason_display(),
        "due": timezone.localtime(rating.call_back_due_at).strftime("%Y-%m-%d %H:%M")
        if rating.call_back_due_at
        else "-",
    }

    def send() -> None:
        for phone in phones:
            send_sms(
                to=phone,
                text=text,
                purpose="rating.bad",
                obj=rating,
                center_id=rating.center_id,
            )

    transaction.on_commit(send)


# The channels a citizen rates through on the public rating page (the page's `?via=`).
PUBLIC_CHANNELS = (
    RatingChannel.QR_CODE,
    RatingChannel.SMS,
    RatingChannel.PROGRESS_PAGE,
    RatingChannel.ONLINE,
)


def rating_give_public(
    *,
    client: str,
    kind: str,
    occasion_id: int,
    level: int,
    channel: str,
    reason: str = "",
    comment: str = "",
    rater_name: str = "",
    rater_phone: str = "",
    supersedes: Rating | None = None,
    now: datetime.datetime | None = None,
) -> Rating:
    """A rating from the public rating page (QR code, SMS link, progress page, re-rating link):
    counted per client address and hour first (outside the transaction, so a refused attempt
    stays counted; `RateLimited` beyond GOVHALL_RATE_RATING_PER_ADDRESS_HOUR), then given."""
    if channel not in PUBLIC_CHANNELS:
        channel = RatingChannel.QR_CODE
    rate_limit(
        [
            RateRule(
                rate_key("rating.address", client or "unknown"),
                settings.GOVHALL_RATE_RATING_PER_ADDRESS_HOUR,
                HOUR,
                _("Too many ratings from your network. Please try again later."),
            )
        ],
        at=now,
    )
    return rating_give(
        actor=None,
        kind=kind,
        occasion_id=occasion_id,
        level=level,
        channel=channel,
        reason=reason,
        comment=comment,
        rater_name=rater_name,
        rater_phone=rater_phone,
        supersedes=supersedes,
        now=now,
    )
