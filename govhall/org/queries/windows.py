"""Reading a center's windows and posts (the window board) in three queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from govhall.org.access.scope import scope_of
from govhall.org.models import Center, Department, Post, Window


def window_board(center: Center, *, department_id: int | None = None) -> QuerySet[Window]:
    """A center's windows with departments, posts (A and B staff), head and authorizer (授权人):
    three queries whatever the number of windows (windows with heads and authorizers,
    departments, posts with staff)."""
    windows = (
        Window.objects.filter(center=center)
        .select_related("head", "authorizer")
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
