"""挂牌上岗 / AB岗 公开 (issue 18 item 5; seeds/001… AB岗): each active window of a center with its
head and its posts' A and B staff — name, staff number (工号), department and the number of the
hall-issued badge they wear (issue 21 item 3, 挂牌上岗), nothing else of the person (no phone, no
account). Three queries whatever the size of the hall."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from govhall.core.models import User
from govhall.org.models import Center, Post, Window
from govhall.staffing.models.conduct import Badge


@dataclass(frozen=True)
class PublicPerson:
    name: str
    staff_number: str
    department: str
    badge_number: str = ""


@dataclass(frozen=True)
class PublicPost:
    name: str
    a: PublicPerson | None
    b: PublicPerson | None


@dataclass(frozen=True)
class PublicWindow:
    number: int
    name: str
    location: str
    head: PublicPerson | None
    posts: list[PublicPost]
    is_agency: bool = False  # 代办窗口 (issue 19 item 6)


def _person(user: User | None, badges: dict[int, str]) -> PublicPerson | None:
    if user is None or not user.is_active:
        return None
    staff = getattr(user, "staff", None)
    return PublicPerson(
        name=user.display_name,
        staff_number=staff.staff_number if staff is not None else "",
        department=staff.department.name if staff is not None and staff.department else "",
        badge_number=badges.get(user.pk, ""),
    )


def public_windows(center: Center) -> list[PublicWindow]:
    related = ("staff", "staff__department")
    posts = Post.objects.select_related(
        *(f"{who}__{part}" for who in ("a_staff", "b_staff") for part in related),
        "a_staff",
        "b_staff",
    ).order_by("id")
    windows = (
        Window.objects.filter(center=center, is_active=True)
        .select_related("head", "head__staff", "head__staff__department")
        .prefetch_related(Prefetch("posts", queryset=posts))
        .order_by("number")
    )
    badges = dict(
        Badge.objects.filter(center=center, withdrawn_on__isnull=True).values_list(
            "user_id", "number"
        )
    )
    return [
        PublicWindow(
            number=window.number,
            name=window.name,
            location=window.location,
            head=_person(window.head, badges),
            posts=[
                PublicPost(
                    name=post.name,
                    a=_person(post.a_staff, badges),
                    b=_person(post.b_staff, badges),
                )
                for post in window.posts.all()
            ],
            is_agency=window.is_agency,
        )
        for window in windows
    ]
