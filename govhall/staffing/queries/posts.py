"""Covers to replace (issue 16 item 4; seeds/001… AB岗 五5): a cover (B staff) criticised in a
notice or complained about (verified) twice or more, counted together, since they took up their
current assignment, must be replaced by their department unconditionally (部门无条件换人)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery

from govhall.core.models import User
from govhall.org.models import Center, Post
from govhall.staffing.models.assignment import Assignment, StaffFactKind

COVER_FAULT_KINDS = (StaffFactKind.CRITICISM_NOTICE, StaffFactKind.VERIFIED_COMPLAINT)


@dataclass(frozen=True)
class CoverToReplace:
    post: Post
    user: User
    count: int


def covers_to_replace(center: Center) -> list[CoverToReplace]:
    """The B staff of `center`'s posts due to be replaced, with their post (two queries)."""
    limit = int(settings.GOVHALL_COVER_FAULTS_FOR_REPLACEMENT)
    since = Subquery(
        Assignment.objects.filter(user=OuterRef("pk"), ends_on__isnull=True).values("starts_on")[:1]
    )
    faults = Q(staff_facts__kind__in=COVER_FAULT_KINDS) & (
        Q(current_since__isnull=True) | Q(staff_facts__occurred_on__gte=F("current_since"))
    )
    counted = {
        user.pk: int(user.n_faults)
        for user in User.objects.filter(b_posts__window__center=center)
        .annotate(current_since=since)
        .annotate(n_faults=Count("staff_facts", filter=faults, distinct=True))
        .filter(n_faults__gte=limit)
    }
    if not counted:
        return []
    posts = Post.objects.filter(window__center=center, b_staff__in=list(counted)).select_related(
        "window", "b_staff"
    )
    return [
        CoverToReplace(post=post, user=post.b_staff, count=counted[post.b_staff.pk])
        for post in posts
        if post.b_staff is not None
    ]
