"""Organization API: centers, window boards and departments, scoped to the logged-in user."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import BIGINT_MAX, Pagination, PersonOut
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope
from govhall.org.queries.departments import departments_for
from govhall.org.queries.windows import board_for

router = Router(auth=django_auth)


class CenterOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    address: str
    phone: str
    morning_opens: datetime.time
    morning_closes: datetime.time
    afternoon_opens: datetime.time
    afternoon_closes: datetime.time
    early_arrival_minutes: int
    is_active: bool


class DepartmentOut(Schema):
    id: int
    center_id: int
    code: str
    name: str
    short_name: str
    phone: str
    is_active: bool


class PostOut(Schema):
    id: int
    name: str
    a_staff: PersonOut | None
    b_staff: PersonOut | None


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class WindowOut(Schema):
    id: int
    number: int
    name: str
    location: str
    is_active: bool
    head: PersonOut | None
    # 授权人: serves the posts when A, B and the head are all away (SPEC §9, issue 16 item 4).
    authorizer: PersonOut | None
    departments: list[DepartmentRef]
    posts: list[PostOut]

    @staticmethod
    def resolve_departments(window: object) -> list[object]:
        return list(window.departments.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_posts(window: object) -> list[object]:
        return list(window.posts.all())  # type: ignore[attr-defined]


@router.get("/centers", response=list[CenterOut], summary="Centers in my scope")
@paginate(Pagination)
def list_centers(request: HttpRequest):
    return centers_in_scope(request.user).order_by("path")


@router.get(
    "/centers/{center_id}/windows",
    response=list[WindowOut],
    summary="A center's windows with departments, posts (A and B staff), head and authorizer",
)
@paginate(Pagination)
def center_windows(request: HttpRequest, center_id: int):
    center = access_center(request.user, center_id)
    return board_for(request.user, center)


@router.get("/departments", response=list[DepartmentOut], summary="Departments in my scope")
@paginate(Pagination)
def list_departments(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    return departments_for(
        request.user, center=access_center(request.user, center) if center else None
    )
