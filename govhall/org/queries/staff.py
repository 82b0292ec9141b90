"""Reading the staff directory and the people a center may put at a window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.access.scope import staff_in_scope
from govhall.org.models import Center, Post, Staff


@dataclass
class StaffRow:
    staff: Staff
    role_labels: list[str]
    a_posts: list[Post]
    b_posts: list[Post]


def staff_directory(
    user: object, *, center: Center | None = None, search: str = ""
) -> QuerySet[Staff]:
    """Staff in scope with user, center, department, role groups and posts prefetched."""
    staff = staff_in_scope(user).select_related("user", "center", "department")
    if center is not None:
        staff = staff.filter(center=center)
    search = search.strip()
    if search:
        staff = staff.filter(
            Q(user__username__icontains=search)
            | Q(user__full_name__icontains=search)
            | Q(title__icontains=search)
        )
    post_query = Post.objects.select_related("window").order_by("window__number", "id")
    return staff.prefetch_related(
        "user__groups",
        Prefetch("user__a_posts", queryset=post_query),
        Prefetch("user__b_posts", queryset=post_query),
    ).order_by("center__path", "department__code", "user__username")


def staff_rows(staff: Iterable[Staff]) -> list[StaffRow]:
    """Display rows for a (prefetched) page of `staff_directory`."""
    labels = dict(Role.choices)
    return [
        StaffRow(
            staff=member,
            role_labels=sorted(
                str(labels[group.name])
                for group in member.user.groups.all()
                if group.name in labels
            ),
            a_posts=list(member.user.a_posts.all()),
            b_posts=list(member.user.b_posts.all()),
        )
        for member in staff
    ]


def staff_users(center: Center, *, window_staff_only: bool = False) -> QuerySet[User]:
    """Active staff accounts of one center, for choosing window heads and post holders."""
    users = User.objects.filter(staff__center=center, is_active=True).select_related(
        "staff__department"
    )
    if window_staff_only:
        users = users.filter(staff__is_window_staff=True)
    return users.order_by("staff__department__code", "username")
