"""Two ratings of one occasion at the same moment, with real transactions on PostgreSQL: one is
kept, the other is a conflict (the constraint `rating_one_per_occasion`); likewise two
re-ratings of one rating."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from govhall.core.models import OutboundMessage
from govhall.feedback.models import FollowUpStatus, Rating, RatingInvitation
from govhall.feedback.services.rating_invitations import rating_invitations_send
from govhall.feedback.services.ratings import RatingConflict, rating_give
from govhall.testing.parallel import run_at_once
from govhall.testing.rating_occasions import delivered_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL and real parallelism"
    ),
]


def test_two_ratings_of_one_case_at_once_one_wins_the_other_is_a_conflict(
    case_item, hall_window, clerk
):
    case = delivered_case(case_item, hall_window, delivered_by=clerk)

    def rate(level: int):  # type: ignore[no-untyped-def]
        return lambda: rating_give(
            actor=None,
            kind="case",
            occasion_id=case.pk,
            level=level,
            channel="qr_code",
            reason="attitude" if level < 3 else "",
        )

    results = run_at_once([rate(5), rate(1), rate(4)])
    kept = [r for r in results if isinstance(r, Rating)]
    refused = [r for r in results if isinstance(r, RatingConflict)]
    assert len(kept) == 1 and len(refused) == 2, results
    assert Rating.objects.count() == 1


def test_two_re_ratings_at_once_one_wins(case_item, hall_window, clerk):
    case = delivered_case(case_item, hall_window, delivered_by=clerk)
    bad = rating_give(
        actor=None, kind="case", occasion_id=case.pk, level=1, channel="sms", reason="slow"
    )
    Rating.objects.filter(pk=bad.pk).update(follow_up=FollowUpStatus.CLOSED)

    def rerate():  # type: ignore[no-untyped-def]
        return rating_give(
            actor=None,
            kind="case",
            occasion_id=case.pk,
            level=5,
            channel="qr_code",
            supersedes=Rating.objects.get(pk=bad.pk),
        )

    results = run_at_once([rerate, rerate])
    assert sum(isinstance(r, Rating) for r in results) == 1, results
    assert sum(isinstance(r, RatingConflict) for r in results) == 1, results
    assert Rating.objects.filter(supersedes=bad).count() == 1


def test_two_workers_send_each_invitation_once(case_item, hall_window, settings):
    settings.GOVHALL_RATING_INVITATION_WORKDAYS = 0
    for _n in range(5):
        delivered_case(case_item, hall_window, delivered=timezone.now())
    results = run_at_once([rating_invitations_send, rating_invitations_send])
    assert sum(results) == 5, results
    assert RatingInvitation.objects.count() == 5
    assert OutboundMessage.objects.filter(purpose="rating.invitation").count() == 5
