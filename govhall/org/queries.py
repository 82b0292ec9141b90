"""Reads of the organization, each in a fixed small number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.access import (
    centers_in_scope,
    departments_in_scope,
    scope_of,
    staff_in_scope,
    windows_in_scope,
)
from govhall.org.models import Center, Department, Post, Staff, Window


@dataclass
class CenterNode:
    center: Center
    department_count: int
    window_count: int
    children: list[CenterNode] = field(default_factory=list)


def _count_per_center(qs: QuerySet) -> Coalesce:
    counts = (
        qs.filter(center=OuterRef("pk"))
        .order_by()
        .values("center")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def centers_with_counts(user: object) -> QuerySet[Center]:
    """Centers in the user's scope with the departments and windows the user can see."""
    return centers_in_scope(user).annotate(
        department_count=_count_per_center(departments_in_scope(user)),
        window_count=_count_per_center(windows_in_scope(user)),
    )


def center_tree(user: object) -> list[CenterNode]:
    """The user's part of the center tree, nested, from one query ordered by path.

    Ordering by path puts every center after its parent; siblings are then sorted by code.
    """
    nodes: dict[int, CenterNode] = {}
    roots: list[CenterNode] = []
    for center in centers_with_counts(user).order_by("path"):
        node = CenterNode(
            center=center,
            department_count=center.department_count,  # type: ignore[attr-defined]
            window_count=center.window_count,  # type: ignore[attr-defined]
        )
        nodes[center.pk] = node
        parent = nodes.get(center.parent_id) if center.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.center.code)
    roots.sort(key=lambda root: root.center.code)
    return roots


def flatten_tree(roots: Iterable[CenterNode], depth: int = 0) -> list[tuple[int, CenterNode]]:
    """(depth, node) in display order, for indented lists and select boxes."""
    rows: list[tuple[int, CenterNode]] = []
    for node in roots:
        rows.append((depth, node))
        rows.extend(flatten_tree(node.children, depth + 1))
    return rows


def window_board(center: Center, *, department_id: int | None = None) -> QuerySet[Window]:
    """A center's windows with departments, posts (A and B staff) and head: three queries
    whatever the number of windows (windows with heads, departments, posts with staff)."""
    windows = (
        Window.objects.filter(center=center)
        .select_related("head")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("code")),
            Prefetch(
                "posts", queryset=Post.objects.select_related("a_staff", "b_staff").order_by("id")
            ),
        )
        .order_by("number")
    )
    if department_id is not None:
        windows = windows.filter(departments=department_id).distinct()
    return windows


def board_for(user: object, center: Center) -> QuerySet[Window]:
    """The board of `center` as `user` may see it (department staff: their department's
    windows)."""
    return window_board(center, department_id=scope_of(user).department_id)


def departments_for(user: object, *, center: Center | None = None) -> QuerySet[Department]:
    """Departments in scope (optionally of one center) with their window counts."""
    departments = departments_in_scope(user).select_related("center")
    if center is not None:
        departments = departments.filter(center=center)
    return departments.annotate(
        window_count=Count("windows", distinct=True),
        staff_count=Count("staff", distinct=True),
    ).order_by("center__path", "code")


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
