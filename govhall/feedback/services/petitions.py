"""Petitions (信访; seeds/000… 篇5 信访, 信访工作条例 2022): the register and every step after it.

Entry points (all keyword-only, atomic, each writing one `FeedbackEvent`):
def petition_register(*, actor, center, matter, name, ...) -> Petition
def petition_answer_on_spot(*, actor, petition, version, answer) -> Petition
def petition_notify(*, actor, petition, version, notice) -> Petition          (告知书)
def petition_accept(*, actor, petition, version, notice) -> Petition          (受理告知书)
def petition_refuse(*, actor, petition, version, notice) -> Petition          (不予受理告知书)
def petition_assign(*, actor, petition, version, department, instructions) -> Petition (交办单)
def petition_extend(*, actor, petition, version, days, reason) -> Petition
def petition_close(*, actor, petition, version, opinion) -> Petition
def petition_request_review(*, actor, petition, version, kind, requested_on=None) -> PetitionReview
def petition_answer_review(*, actor, petition, version, answer) -> PetitionReview
def reception_schedule(*, actor, center, leader, day, place) -> LeaderReception
def reception_receive(*, actor, reception, petition) -> LeaderReception

Every limit is in calendar days from the local day of the event it counts from: the answer
within GOVHALL_PETITION_ANSWER_DAYS (3) of the visit, the acceptance decision within
GOVHALL_PETITION_ACCEPT_DAYS (15), closing within GOVHALL_PETITION_CLOSE_DAYS (60) of acceptance
plus one extension of up to GOVHALL_PETITION_EXTENSION_DAYS (30) with a reason (it moves
`close_due_on`; `extension_days` keeps how far), leader reception within
GOVHALL_PETITION_RECEPTION_DAYS (7) when needed, and 复查 then 复核 each requested within
GOVHALL_PETITION_REVIEW_DAYS (30) of the answer before and answered within as many.

Steps follow `govhall/feedback/petition_transitions.py`; each takes the petition's `version`
as the page or caller saw it and locks the row, so a stale page or a second handler acting at
once is refused with a `Conflict`. A collective (GOVHALL_PETITION_COLLECTIVE_PEOPLE or more)
or major petition raises the supervision alert "petition_major.serious" at registration, which
tells the department leaders and the hall directors at once (inbox and SMS after commit).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.idnumbers import id_number_error, normalize, phone_error
from govhall.core.models import User
from govhall.core.roles import RECEPTION_LEADER_ROLES, roles_of
from govhall.core.validation import (
    Conflict,
    FieldErrors,
    StateRefusal,
    refusal_error,
)
from govhall.feedback.access.petitions import can_schedule_receptions, handles_center
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models.petitions import (
    Gender,
    LeaderReception,
    Petition,
    PetitionChannel,
    PetitionReview,
    PetitionReviewKind,
    PetitionStatus,
    PoliticalStatus,
)
from govhall.feedback.petition_transitions import (
    PETITION_TRANSITIONS,
    PetitionAction,
    PetitionParty,
)
from govhall.feedback.queries.petitions import is_collective
from govhall.feedback.services.numbers import PETITION_PREFIX, next_register_number
from govhall.org.models import Center, Department, Staff
from govhall.supervision.models import AlertRule
from govhall.supervision.services.raising import AlertDraft, raise_alerts

MAJOR_RULE_CODE = "petition_major.serious"
TEXT_MAX = 5000
NOTICE_MAX = 5000
REASON_MAX = Petition._meta.get_field("extension_reason").max_length or 1000
MAX_PEOPLE = 10000
A = PetitionAction


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _today(at: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(at or timezone.now())


# --- registration ------------------------------------------------------------------------------


@transaction.atomic
def petition_register(
    *,
    actor: User,
    center: Center,
    matter: object,
    name: object,
    channel: object = PetitionChannel.VISIT,
    received_at: datetime.datetime | None = None,
    gender: object = "",
    age: object = None,
    occupation: object = "",
    political_status: object = "",
    address_or_employer: object = "",
    phone: object = "",
    id_number: object = "",
    people_count: object = 1,
    representatives: object = 1,
    is_major: bool = False,
    is_accusation: bool = False,
    needs_reception: bool | None = None,
    department: Department | None = None,
) -> Petition:
    """Register a letter, visit, call or online petition with the seeds' fields. The actor
    becomes its handler. `needs_reception` None: a collective or major petition needs a leader
    reception. Every error is collected before refusing."""
    if not handles_center(actor, center.pk):
        raise ValidationError({"center": [_("You do not handle petitions of this center.")]})
    now = timezone.now()
    errors = FieldErrors()
    errors.choice("channel", channel, PetitionChannel.values)
    when = received_at or now
    if when > now + datetime.timedelta(minutes=5):
        errors.add("received_at", _("The time of the visit cannot be in the future."))
    name_text = errors.text("name", name, max_length=60, required=_("Enter the petitioner's name."))
    if gender:
        errors.choice("gender", gender, Gender.values)
    age_value = errors.whole_number("age", age, minimum=0, maximum=150)
    occupation_text = errors.text("occupation", occupation, max_length=60)
    if political_status:
        errors.choice("political_status", political_status, PoliticalStatus.values)
    address_text = errors.text("address_or_employer", address_or_employer, max_length=200)
    phone_text = normalize(str(phone or ""))
    if phone_text and (problem := phone_error(phone_text)):
        errors.add("phone", problem)
    id_text = normalize(str(id_number or ""))
    if id_text and (problem := id_number_error(id_text)):
        errors.add("id_number", problem)
    matter_text = errors.text(
        "matter", matter, max_length=TEXT_MAX, required=_("Describe the matter of the petition.")
    )
    people = errors.whole_number(
        "people_count",
        people_count if people_count not in (None, "") else 1,
        minimum=1,
        maximum=MAX_PEOPLE,
    )
    reps = errors.whole_number(
        "representatives",
        representatives if representatives not in (None, "") else 1,
        minimum=1,
    )
    limit = settings.GOVHALL_PETITION_MAX_REPRESENTATIVES
    if reps is not None and reps > limit:
        errors.add(
            "representatives",
            _(
                "A collective visit sends at most %(limit)d representatives (信访工作条例); ask "
                "the visitors to choose %(limit)d."
            )
            % {"limit": limit},
        )
    elif reps is not None and people is not None and reps > people:
        errors.add("representatives", _("There cannot be more representatives than people."))
    if department is not None and department.center_id != center.pk:
        errors.add("department", _("Choose a department of this center."))
    errors.raise_if_any()
    assert people is not None and reps is not None
    day = timezone.localdate(when)
    collective = is_collective(people)
    wants_reception = (collective or is_major) if needs_reception is None else needs_reception
    petition = Petition.objects.create(
        number=next_register_number(letters=PETITION_PREFIX, center=center, day=day),
        center=center,
        channel=str(channel),
        received_at=when,
        received_by=actor,
        handler=actor,
        name=name_text,
        gender=str(gender or ""),
        age=age_value,
        occupation=occupation_text,
        political_status=str(political_status or ""),
        address_or_employer=address_text,
        phone=phone_text,
        id_number=id_text,
        matter=matter_text,
        people_count=people,
        representatives=reps,
        is_major=bool(is_major),
        is_accusation=bool(is_accusation),
        answer_due_on=day + _days(settings.GOVHALL_PETITION_ANSWER_DAYS),
        acceptance_due_on=day + _days(settings.GOVHALL_PETITION_ACCEPT_DAYS),
        reception_due_on=(
            day + _days(settings.GOVHALL_PETITION_RECEPTION_DAYS) if wants_reception else None
        ),
        assigned_department=department,
        assigned_at=now if department is not None else None,
    )
    record_event(
        actor=actor,
        action=FeedbackEvent.PETITION_REGISTER,
        obj=petition,
        center_id=center.pk,
        data={
            "channel": channel,
            "people": people,
            "representatives": reps,
            "collective": collective,
            "major": bool(is_major),
            "accusation": bool(is_accusation),
            "department": department.pk if department else None,
        },
    )
    if collective or is_major:
        _alert_leaders(petition, collective=collective, moment=now)
    return petition


def _alert_leaders(petition: Petition, *, collective: bool, moment: datetime.datetime) -> int:
    """The supervision alert of a collective or major petition (tells the leaders at once).
    The text never names the petitioner."""
    rule = AlertRule.objects.filter(code=MAJOR_RULE_CODE).first()
    if rule is None:
        return 0
    if collective:
        detail = _(
            "Collective petition %(number)s: %(people)d people, %(reps)d representatives: "
            "%(matter)s"
        ) % {
            "number": petition.number,
            "people": petition.people_count,
            "reps": petition.representatives,
            "matter": " ".join(petition.matter.split())[:80],
        }
    else:
        detail = _("Major petition %(number)s: %(matter)s") % {
            "number": petition.number,
            "matter": " ".join(petition.matter.split())[:80],
        }
    draft = AlertDraft(
        subject_key=f"petition:{petition.pk}",
        center_id=petition.center_id,
        occurred_on=timezone.localdate(petition.received_at),
        detail=detail,
        department_id=petition.assigned_department_id,
        due_on=petition.reception_due_on or petition.answer_due_on,
    )
    return raise_alerts(rule, [draft], moment=moment, batch=uuid.uuid4().hex)


# --- the lifecycle -----------------------------------------------------------------------------


def _guard_not_answered(petition: Petition) -> str:
    if petition.answered_on is not None:
        return StateRefusal(_("The visitor has had an answer already."))
    return ""


def _guard_not_extended(petition: Petition) -> str:
    if petition.extension_days:
        return StateRefusal(
            _("The time limit was extended once already; the regulation allows one extension.")
        )
    return ""


def _guard_review_window(petition: Petition) -> str:
    if petition.reviews.filter(kind=PetitionReviewKind.REVIEW).exists():
        return StateRefusal(_("A 复查 was requested already; only one is allowed."))
    return ""


def _guard_recheck_window(petition: Petition) -> str:
    reviews = {review.kind: review for review in petition.reviews.all()}
    if PetitionReviewKind.RE_EXAMINATION in reviews:
        return StateRefusal(_("A 复核 was requested already; only one is allowed."))
    first = reviews.get(PetitionReviewKind.REVIEW)
    if first is None or first.answered_on is None:
        return StateRefusal(_("A 复核 follows an answered 复查; record the 复查 first."))
    return ""


PETITION_GUARDS: dict[str, Callable[[Petition], str]] = {
    "not_answered": _guard_not_answered,
    "not_extended": _guard_not_extended,
    "review_window": _guard_review_window,
    "recheck_window": _guard_recheck_window,
}


def petition_parties(actor: object, petition: Petition) -> frozenset[str]:
    return (
        frozenset({PetitionParty.HANDLER.value})
        if handles_center(actor, petition.center_id)
        else frozenset()
    )


def petition_refusal(actor: object, petition: Petition, action: str) -> str | None:
    """Why `actor` may not take `action` on the petition now (None: they may). A `StateRefusal`
    when it is the petition's state that stands in the way."""
    row = PETITION_TRANSITIONS.row(petition.status, action)
    if row is None:
        if action not in PETITION_TRANSITIONS.actions():
            return _("Unknown action.")
        return StateRefusal(
            _("This cannot be done while the petition is “%(status)s”.")
            % {"status": petition.get_status_display()}
        )
    if not (row.who & petition_parties(actor, petition)):
        return _("You do not handle petitions of this center.")
    if row.guard:
        why = PETITION_GUARDS[row.guard](petition)
        if why:
            return why
    return None


def petition_actions(actor: object, petition: Petition) -> list[str]:
    """The actions the actor may take on the petition now (buttons, the API's `actions`)."""
    return [
        row.action
        for row in PETITION_TRANSITIONS.rows_from(petition.status)
        if petition_refusal(actor, petition, row.action) is None
    ]


def _begin(actor: User, petition: Petition, action: str, version: object) -> Petition:
    """The petition locked, after checking the version the actor saw and the table."""
    locked = Petition.objects.select_for_update().filter(pk=petition.pk).first()
    if locked is None:
        raise Conflict(_("This petition no longer exists."))
    try:
        seen = int(str(version))
    except ValueError:
        raise ValidationError({"version": [_("Enter a whole number.")]}) from None
    if seen != locked.version:
        raise Conflict(
            _("Someone changed this petition since you opened it; reload the page and try again.")
        )
    why = petition_refusal(actor, locked, action)
    if why is not None:
        raise refusal_error(why)
    return locked


def _finish(
    actor: User,
    petition: Petition,
    action: str,
    event: str,
    *,
    data: dict[str, object] | None = None,
    note: str = "",
) -> Petition:
    row = PETITION_TRANSITIONS.row(petition.status, action)
    assert row is not None
    if row.next_state is not None:
        petition.status = row.next_state
    petition.version += 1
    petition.save()
    record_event(
        actor=actor,
        action=event,
        obj=petition,
        center_id=petition.center_id,
        note=note[:300],
        data={"status": petition.status, **(data or {})},
    )
    return petition


def _required_text(field: str, value: object, message: str, max_length: int = NOTICE_MAX) -> str:
    errors = FieldErrors()
    text = errors.text(field, value, max_length=max_length, required=message)
    errors.raise_if_any()
    return text


@transaction.atomic
def petition_answer_on_spot(
    *, actor: User, petition: Petition, version: object, answer: object
) -> Petition:
    """Solved on the spot (当场解决): the answer given is the notice to the visitor."""
    text = _required_text("answer", answer, _("Write down the answer given to the visitor."))
    locked = _begin(actor, petition, A.ANSWER_ON_SPOT, version)
    today = _today()
    locked.visitor_notice = text
    locked.answered_on = today
    locked.closed_on = today
    return _finish(actor, locked, A.ANSWER_ON_SPOT, FeedbackEvent.PETITION_ANSWER)


@transaction.atomic
def petition_notify(
    *, actor: User, petition: Petition, version: object, notice: object
) -> Petition:
    """The 告知书 to the visitor (the seeds' answer within 3 days)."""
    text = _required_text("notice", notice, _("Write the notice to the visitor."))
    locked = _begin(actor, petition, A.NOTIFY, version)
    locked.visitor_notice = text
    locked.answered_on = _today()
    return _finish(actor, locked, A.NOTIFY, FeedbackEvent.PETITION_ANSWER)


@transaction.atomic
def petition_accept(
    *, actor: User, petition: Petition, version: object, notice: object
) -> Petition:
    """Accept with a written notice (受理告知书); closing falls due 60 calendar days later."""
    text = _required_text("notice", notice, _("Write the notice of acceptance."))
    locked = _begin(actor, petition, A.ACCEPT, version)
    today = _today()
    locked.accepted_on = today
    locked.acceptance_notice = text
    locked.close_due_on = today + _days(settings.GOVHALL_PETITION_CLOSE_DAYS)
    if locked.answered_on is None:
        locked.answered_on = today
    return _finish(
        actor,
        locked,
        A.ACCEPT,
        FeedbackEvent.PETITION_ACCEPT,
        data={"close_due_on": locked.close_due_on.isoformat()},
    )


@transaction.atomic
def petition_refuse(
    *, actor: User, petition: Petition, version: object, notice: object
) -> Petition:
    """Do not accept, with a written notice saying why and where to turn (不予受理告知书)."""
    text = _required_text("notice", notice, _("Write the notice saying why it is not accepted."))
    locked = _begin(actor, petition, A.REFUSE, version)
    today = _today()
    locked.acceptance_notice = text
    locked.closed_on = today
    if locked.answered_on is None:
        locked.answered_on = today
    return _finish(actor, locked, A.REFUSE, FeedbackEvent.PETITION_REFUSE)


@transaction.atomic
def petition_assign(
    *,
    actor: User,
    petition: Petition,
    version: object,
    department: Department | None,
    instructions: object = "",
) -> Petition:
    """Hand the matter to a department of the center with a 交办单 (printable)."""
    errors = FieldErrors()
    text = errors.text("instructions", instructions, max_length=1000)
    if department is None:
        errors.add("department", _("Choose the department."))
    elif department.center_id != petition.center_id or not department.is_active:
        errors.add("department", _("Choose a department of this center."))
    errors.raise_if_any()
    assert department is not None
    locked = _begin(actor, petition, A.ASSIGN, version)
    locked.assigned_department = department
    locked.assigned_at = timezone.now()
    return _finish(
        actor,
        locked,
        A.ASSIGN,
        FeedbackEvent.PETITION_ASSIGN,
        data={"department": department.pk, "instructions": text},
        note=text,
    )


@transaction.atomic
def petition_extend(
    *, actor: User, petition: Petition, version: object, days: object, reason: object
) -> Petition:
    """The one extension of the closing limit: up to 30 calendar days, with a reason."""
    limit = settings.GOVHALL_PETITION_EXTENSION_DAYS
    errors = FieldErrors()
    number = errors.whole_number("days", days, required=_("Enter the number of days."), minimum=1)
    if number is not None and number > limit:
        errors.add(
            "days",
            _("An extension is at most %(limit)d calendar days.") % {"limit": limit},
        )
    text = errors.text(
        "reason", reason, max_length=REASON_MAX, required=_("Give the reason for the extension.")
    )
    errors.raise_if_any()
    assert number is not None
    locked = _begin(actor, petition, A.EXTEND, version)
    assert locked.close_due_on is not None
    locked.extension_days = number
    locked.extension_reason = text
    locked.close_due_on = locked.close_due_on + _days(number)
    return _finish(
        actor,
        locked,
        A.EXTEND,
        FeedbackEvent.PETITION_EXTEND,
        data={"days": number, "close_due_on": locked.close_due_on.isoformat()},
        note=text,
    )


@transaction.atomic
def petition_close(
    *, actor: User, petition: Petition, version: object, opinion: object
) -> Petition:
    """Close with a written opinion (处理意见书); the 30 days for a 复查 run from today."""
    text = _required_text("opinion", opinion, _("Write the opinion."), TEXT_MAX)
    locked = _begin(actor, petition, A.CLOSE, version)
    locked.opinion = text
    locked.closed_on = _today()
    return _finish(actor, locked, A.CLOSE, FeedbackEvent.PETITION_CLOSE)


@transaction.atomic
def petition_request_review(
    *,
    actor: User,
    petition: Petition,
    version: object,
    kind: object,
    requested_on: datetime.date | None = None,
) -> PetitionReview:
    """Record a 复查 (within 30 days of the opinion) or, after its answer, a 复核 (within 30 days
    of that answer); each answered within 30 days. A request after the window is refused."""
    errors = FieldErrors()
    errors.choice("kind", kind, PetitionReviewKind.values)
    errors.raise_if_any()
    action = A.REQUEST_REVIEW if kind == PetitionReviewKind.REVIEW else A.REQUEST_RECHECK
    locked = _begin(actor, petition, action, version)
    today = _today()
    day = requested_on or today
    if kind == PetitionReviewKind.REVIEW:
        start = locked.closed_on
        what = _("the opinion")
    else:
        first = locked.reviews.get(kind=PetitionReviewKind.REVIEW)
        start = first.answered_on
        what = _("the 复查 answer")
    assert start is not None
    window = settings.GOVHALL_PETITION_REVIEW_DAYS
    last = start + _days(window)
    if day > today:
        raise ValidationError(
            {"requested_on": [_("The day of the request cannot be in the future.")]}
        )
    if day < start:
        raise ValidationError(
            {"requested_on": [_("The request cannot be older than %(what)s.") % {"what": what}]}
        )
    if day > last:
        raise ValidationError(
            {
                "requested_on": [
                    _(
                        "Too late: a %(kind)s must be requested within %(days)d days of "
                        "%(what)s given on %(start)s; the last day was %(last)s."
                    )
                    % {
                        "kind": PetitionReviewKind(str(kind)).label,
                        "days": window,
                        "what": what,
                        "start": start.isoformat(),
                        "last": last.isoformat(),
                    }
                ]
            }
        )
    review = PetitionReview.objects.create(
        petition=locked,
        kind=str(kind),
        requested_on=day,
        due_on=day + _days(window),
    )
    _finish(
        actor,
        locked,
        action,
        FeedbackEvent.PETITION_REQUEST_REVIEW,
        data={"kind": kind, "due_on": review.due_on.isoformat()},
    )
    return review


@transaction.atomic
def petition_answer_review(
    *, actor: User, petition: Petition, version: object, answer: object
) -> PetitionReview:
    """Answer the open 复查 or 复核 (its opinion)."""
    text = _required_text("answer", answer, _("Write the answer."), TEXT_MAX)
    locked = _begin(actor, petition, A.ANSWER_REVIEW, version)
    review = locked.reviews.filter(answered_on__isnull=True).order_by("requested_on").first()
    if review is None:
        raise refusal_error(StateRefusal(_("No 复查 or 复核 is waiting for an answer.")))
    review.answer = text
    review.answered_on = _today()
    review.save(update_fields=["answer", "answered_on"])
    _finish(
        actor,
        locked,
        A.ANSWER_REVIEW,
        FeedbackEvent.PETITION_ANSWER_REVIEW,
        data={"kind": review.kind},
    )
    return review


# --- leader reception days -------------------------------------------------------------------


def reception_leaders(center: Center) -> list[User]:
    """Who may receive on a reception day of the center: its hall directors and department
    leaders (`RECEPTION_LEADER_ROLES`)."""
    users = User.objects.filter(
        is_active=True,
        staff__center=center,
        groups__name__in=[role.value for role in RECEPTION_LEADER_ROLES],
    ).distinct()
    return list(users.order_by("last_name", "first_name", "username"))


@transaction.atomic
def reception_schedule(
    *, actor: User, center: Center, leader: User | None, day: object, place: object = ""
) -> LeaderReception:
    """Schedule a leader's reception day (领导接访日) at the center."""
    if not can_schedule_receptions(actor) or not handles_center(actor, center.pk):
        raise ValidationError({"center": [_("You do not schedule reception days of this center.")]})
    errors = FieldErrors()
    when = errors.day("day", day, required=_("Enter the day."))
    where = errors.text("place", place, max_length=100)
    if leader is None:
        errors.add("leader", _("Choose the leader."))
    elif not (
        Staff.objects.filter(user=leader, center=center).exists()
        and roles_of(leader) & RECEPTION_LEADER_ROLES
    ):
        errors.add(
            "leader",
            _("A reception day is for a hall director or department leader of the center."),
        )
    if when is not None and when < _today():
        errors.add("day", _("A reception day cannot be in the past."))
    if (
        when is not None
        and leader is not None
        and LeaderReception.objects.filter(center=center, leader=leader, day=when).exists()
    ):
        errors.conflict("day", _("This leader has a reception day on this day already."))
    errors.raise_if_any()
    assert when is not None and leader is not None
    reception = LeaderReception.objects.create(center=center, leader=leader, day=when, place=where)
    record_event(
        actor=actor,
        action=FeedbackEvent.PETITION_SCHEDULE_RECEPTION,
        obj=reception,
        center_id=center.pk,
        data={"leader": leader.pk, "day": when.isoformat()},
    )
    return reception


@transaction.atomic
def reception_receive(
    *, actor: User, reception: LeaderReception, petition: Petition
) -> LeaderReception:
    """Link a petition to a leader's reception day (the leader receives the visitor then)."""
    if not handles_center(actor, petition.center_id):
        raise ValidationError(_("You do not handle petitions of this center."))
    if reception.center_id != petition.center_id:
        raise ValidationError(
            {"reception": [_("Choose a reception day of the petition's center.")]}
        )
    if reception.petitions.filter(pk=petition.pk).exists():
        raise Conflict(_("The petition is on this reception day already."))
    reception.petitions.add(petition)
    record_event(
        actor=actor,
        action=FeedbackEvent.PETITION_RECEIVE,
        obj=petition,
        center_id=petition.center_id,
        data={
            "reception": reception.pk,
            "leader": reception.leader_id,
            "day": reception.day.isoformat(),
        },
    )
    return reception


__all__ = [
    "MAJOR_RULE_CODE",
    "PetitionStatus",
    "petition_accept",
    "petition_actions",
    "petition_answer_on_spot",
    "petition_answer_review",
    "petition_assign",
    "petition_close",
    "petition_extend",
    "petition_notify",
    "petition_refusal",
    "petition_refuse",
    "petition_register",
    "petition_request_review",
    "reception_leaders",
    "reception_receive",
    "reception_schedule",
]
