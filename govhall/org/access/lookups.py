"""Fetching one organization object by a user-supplied id.

`access_*` helpers are the only way views fetch an object by id: missing and forbidden both raise
Http404, so outsiders learn nothing.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from govhall.org.access.scope import (
    centers_in_scope,
    departments_in_scope,
    scope_of,
    staff_in_scope,
    windows_in_scope,
)
from govhall.org.access.standing import can_manage_person
from govhall.org.models import Center, Department, Post, Staff, Window

M = TypeVar("M", bound=Model)


def _require_write(user: object, for_write: bool) -> None:
    if for_write and not scope_of(user).can_manage:
        raise Http404


def _get_or_404(qs: QuerySet[M], object_id: object) -> M:
    try:
        return qs.get(pk=int(str(object_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None


def access_center(user: object, center_id: object, *, for_write: bool = False) -> Center:
    _require_write(user, for_write)
    center: Center = _get_or_404(centers_in_scope(user), center_id)
    return center


def access_department(
    user: object, department_id: object, *, for_write: bool = False
) -> Department:
    _require_write(user, for_write)
    department: Department = _get_or_404(
        departments_in_scope(user).select_related("center"), department_id
    )
    return department


def access_window(user: object, window_id: object, *, for_write: bool = False) -> Window:
    _require_write(user, for_write)
    window: Window = _get_or_404(
        windows_in_scope(user).select_related("center").distinct(), window_id
    )
    return window


def access_post(user: object, post_id: object, *, for_write: bool = False) -> Post:
    _require_write(user, for_write)
    qs = Post.objects.filter(window__in=windows_in_scope(user)).select_related(
        "window", "window__center"
    )
    post: Post = _get_or_404(qs.distinct(), post_id)
    return post


def access_staff(user: object, staff_id: object, *, for_write: bool = False) -> Staff:
    """A staff record in scope; for writing also within the user's standing (else 404)."""
    _require_write(user, for_write)
    staff: Staff = _get_or_404(
        staff_in_scope(user).select_related("user", "center", "department"), staff_id
    )
    if for_write and not can_manage_person(user, staff):
        raise Http404
    return staff
