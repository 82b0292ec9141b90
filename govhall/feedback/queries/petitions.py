"""Reading petitions (信访): what is overdue (the list, the page and the overdue scan ask the same
conditions), the list's filters and order, the deadlines shown on a petition, the petitioner as
a user may see them.

Every limit is in calendar days (信访工作条例 2022): a limit "due on D" is met on D and overdue
from D + 1, weekends and holidays included.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from govhall.core.idnumbers import mask_id, mask_name, mask_phone
from govhall.feedback.access.petitions import IDENTITY_FULL, IDENTITY_MASKED
from govhall.feedback.models.petitions import (
    LeaderReception,
    Petition,
    PetitionReview,
    PetitionStatus,
)

S = PetitionStatus

# The kinds of overdue step, as the scan names them in its subject keys ("petition:<id>:<kind>").
ANSWER = "answer"
ACCEPTANCE = "acceptance"
CLOSING = "closing"
RECEPTION = "reception"
REVIEW = "review"
OVERDUE_KINDS = (ANSWER, ACCEPTANCE, CLOSING, RECEPTION, REVIEW)


def is_collective(people_count: int) -> bool:
    return people_count >= settings.GOVHALL_PETITION_COLLECTIVE_PEOPLE


def received_by_leader(today: datetime.date) -> Exists:
    """A leader has received the petition on a reception day up to `today`."""
    return Exists(LeaderReception.objects.filter(petitions=OuterRef("pk"), day__lte=today))


def open_review_overdue(today: datetime.date) -> Exists:
    return Exists(
        PetitionReview.objects.filter(
            petition=OuterRef("pk"), answered_on__isnull=True, due_on__lt=today
        )
    )


def overdue_conditions(today: datetime.date) -> dict[str, Q]:
    """Each overdue step as a condition on petitions, by kind."""
    return {
        ANSWER: Q(status=S.REGISTERED, answered_on__isnull=True, answer_due_on__lt=today),
        ACCEPTANCE: Q(status=S.REGISTERED, acceptance_due_on__lt=today),
        CLOSING: Q(status=S.ACCEPTED, close_due_on__lt=today),
        RECEPTION: Q(status__in=[S.REGISTERED, S.ACCEPTED], reception_due_on__lt=today)
        & ~Q(received_by_leader(today)),
        REVIEW: Q(status=S.UNDER_REVIEW) & Q(open_review_overdue(today)),
    }


def any_overdue(today: datetime.date) -> Q:
    found = Q(pk__in=[])
    for condition in overdue_conditions(today).values():
        found |= condition
    return found


def overdue_kinds(petition: Petition, today: datetime.date) -> list[str]:
    """The kinds of step the petition is overdue on (one query per kind; for one page)."""
    rows = Petition.objects.filter(pk=petition.pk)
    return [kind for kind, q in overdue_conditions(today).items() if rows.filter(q).exists()]


def overdue_label(kind: str) -> str:
    labels = {
        ANSWER: _("answer to the visitor"),
        ACCEPTANCE: _("decision on acceptance"),
        CLOSING: _("closing"),
        RECEPTION: _("leader reception"),
        REVIEW: _("answer to the 复查/复核"),
    }
    return labels.get(kind, kind)


@dataclass(frozen=True)
class PetitionFilters:
    status: str = ""
    overdue: bool = False
    collective_or_major: bool = False
    accusation: bool = False
    search: str = ""  # the number (never the name: identity is not searchable by everyone)
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None


def petition_list(
    petitions: QuerySet[Petition], filters: PetitionFilters, *, today: datetime.date
) -> QuerySet[Petition]:
    """The list as shown: filtered, overdue first, then newest."""
    found = petitions.annotate(
        late=Case(
            When(any_overdue(today), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.overdue:
        found = found.filter(late=1)
    if filters.collective_or_major:
        found = found.filter(
            Q(is_major=True) | Q(people_count__gte=settings.GOVHALL_PETITION_COLLECTIVE_PEOPLE)
        )
    if filters.accusation:
        found = found.filter(is_accusation=True)
    if filters.search:
        found = found.filter(number__icontains=filters.search.strip())
    if filters.received_from:
        found = found.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        found = found.filter(received_at__date__lte=filters.received_to)
    return found.select_related("center", "assigned_department").order_by(
        "-late", "-received_at", "-id"
    )


@dataclass(frozen=True)
class Petitioner:
    """The petitioner as one user may see them: values shown, or masked, or hidden (None)."""

    level: str
    name: str | None
    phone: str | None
    id_number: str | None
    address_or_employer: str | None


def petitioner_as_seen(petition: Petition, level: str) -> Petitioner:
    if level == IDENTITY_FULL:
        return Petitioner(
            level,
            petition.name,
            petition.phone,
            petition.id_number,
            petition.address_or_employer,
        )
    if level == IDENTITY_MASKED:
        return Petitioner(
            level,
            mask_name(petition.name),
            mask_phone(petition.phone) if petition.phone else "",
            mask_id(petition.id_number) if petition.id_number else "",
            "***" if petition.address_or_employer else "",
        )
    return Petitioner(level, None, None, None, None)


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: datetime.date
    met: bool
    overdue: bool


def petition_deadlines(petition: Petition, today: datetime.date) -> list[Deadline]:
    """The limits of the petition, each due day, whether met and whether overdue now."""
    late = set(overdue_kinds(petition, today))
    rows = [
        Deadline(
            _("Answer to the visitor"),
            petition.answer_due_on,
            petition.answered_on is not None,
            ANSWER in late,
        ),
        Deadline(
            _("Decision on acceptance"),
            petition.acceptance_due_on,
            petition.status not in (S.REGISTERED,),
            ACCEPTANCE in late,
        ),
    ]
    if petition.reception_due_on is not None:
        rows.append(
            Deadline(
                _("Leader reception"),
                petition.reception_due_on,
                Petition.objects.filter(pk=petition.pk).filter(received_by_leader(today)).exists(),
                RECEPTION in late,
            )
        )
    if petition.close_due_on is not None:
        rows.append(
            Deadline(
                _("Closing"),
                petition.close_due_on,
                petition.closed_on is not None,
                CLOSING in late,
            )
        )
    for review in petition.reviews.all():
        rows.append(
            Deadline(
                str(review.get_kind_display()),
                review.due_on,
                review.answered_on is not None,
                review.answered_on is None and review.due_on < today,
            )
        )
    return rows
