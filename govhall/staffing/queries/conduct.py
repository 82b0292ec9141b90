"""Reading the code of conduct and the badges (issue 21 item 3): the published code by section,
the draft a manager edits, who has read the current revision, whether a user still has to, the
code's patrol points, and each badge with the person's department and window (for the card)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from govhall.core.models import User
from govhall.org.models import Center, Post, Staff
from govhall.staffing.models.conduct import (
    Badge,
    ConductAcknowledgement,
    ConductCode,
    ConductRule,
    ConductSection,
)


@dataclass(frozen=True)
class CodeLine:
    id: int
    text: str
    patrol: bool


@dataclass(frozen=True)
class CodeSection:
    section: str
    label: str
    lines: list[CodeLine] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedCode:
    center: Center
    revision: int
    published_at: object
    sections: list[CodeSection]

    @property
    def line_count(self) -> int:
        return sum(len(section.lines) for section in self.sections)


def _sections(lines: list[dict[str, object]]) -> list[CodeSection]:
    by_section: dict[str, list[CodeLine]] = {value: [] for value in ConductSection.values}
    for line in lines:
        section = str(line.get("section", ""))
        if section in by_section:
            raw_id = line.get("id", 0)
            by_section[section].append(
                CodeLine(
                    id=int(raw_id) if isinstance(raw_id, int) else 0,
                    text=str(line.get("text", "")),
                    patrol=bool(line.get("patrol")),
                )
            )
    return [
        CodeSection(section=value, label=str(label), lines=by_section[value])
        for value, label in ConductSection.choices
        if by_section[value]
    ]


def published_code(center: Center) -> PublishedCode | None:
    """The center's code as last published, or None before its first publication."""
    code = ConductCode.objects.filter(center=center, revision__gt=0).first()
    if code is None:
        return None
    return PublishedCode(
        center=center,
        revision=code.revision,
        published_at=code.published_at,
        sections=_sections(list(code.lines)),
    )


def draft_rules(center: Center) -> list[CodeSection]:
    """The lines in force (the draft a manager edits), by section."""
    rules = ConductRule.objects.filter(center=center, is_active=True).order_by("position", "id")
    return _sections(
        [
            {"id": r.pk, "section": r.section, "text": r.text, "patrol": r.is_patrol_point}
            for r in rules
        ]
    )


def code_snapshot(center_id: int) -> list[dict[str, object]]:
    """The lines in force as publishing copies them: section order, then position."""
    order = list(ConductSection.values)
    rules = ConductRule.objects.filter(center_id=center_id, is_active=True)
    ordered = sorted(rules, key=lambda r: (order.index(r.section), r.position, r.pk))
    return [
        {"id": r.pk, "section": r.section, "text": r.text, "patrol": r.is_patrol_point}
        for r in ordered
    ]


def has_unpublished_changes(center: Center) -> bool:
    """Do the lines in force (text, section, patrol mark, order) differ from the published?"""
    code = ConductCode.objects.filter(center=center).first()
    return (code.lines if code else []) != code_snapshot(center.pk)


def conduct_due(user: User) -> ConductCode | None:
    """The published code of the user's center when they have not read its current revision."""
    center_id = Staff.objects.filter(user=user).values_list("center_id", flat=True).first()
    if center_id is None:
        return None
    code = ConductCode.objects.filter(center_id=center_id, revision__gt=0).first()
    if code is None:
        return None
    read = ConductAcknowledgement.objects.filter(
        user=user, center_id=center_id, revision=code.revision
    ).exists()
    return None if read else code


@dataclass(frozen=True)
class ReadRow:
    user: User
    department: str
    read_at: object  # when they read the current revision, or None


def acknowledgements(center: Center, revision: int) -> list[ReadRow]:
    """Every active staff member of the center and when they read `revision` (None: not yet)."""
    read = dict(
        ConductAcknowledgement.objects.filter(center=center, revision=revision).values_list(
            "user_id", "acknowledged_at"
        )
    )
    staff = (
        Staff.objects.filter(center=center, user__is_active=True)
        .select_related("user", "department")
        .order_by("department__name", "user__username")
    )
    rows = [
        ReadRow(
            user=member.user,
            department=member.department.name if member.department else "",
            read_at=read.get(member.user_id),
        )
        for member in staff
    ]
    return sorted(rows, key=lambda row: row.read_at is not None)


def patrol_rules(center_id: int) -> list[ConductRule]:
    """The lines of the center's published code offered to the patrol (still in force)."""
    code = ConductCode.objects.filter(center_id=center_id, revision__gt=0).first()
    if code is None:
        return []
    ids = [int(line["id"]) for line in code.lines if line.get("patrol")]
    rules = {r.pk: r for r in ConductRule.objects.filter(pk__in=ids, is_active=True)}
    return [rules[pk] for pk in ids if pk in rules]


def current_badge_numbers(center: Center) -> dict[int, str]:
    """user id → number of the badge they hold in the center (one query)."""
    return dict(
        Badge.objects.filter(center=center, withdrawn_on__isnull=True).values_list(
            "user_id", "number"
        )
    )


def badges_of(center: Center) -> QuerySet[Badge]:
    return Badge.objects.filter(center=center).select_related("user", "user__staff__department")


@dataclass(frozen=True)
class BadgeCard:
    badge: Badge
    name: str
    department: str
    window: str
    center: str


def badge_card(badge: Badge) -> BadgeCard:
    staff = Staff.objects.select_related("department").filter(user_id=badge.user_id).first()
    post = (
        Post.objects.filter(Q(a_staff_id=badge.user_id) | Q(b_staff_id=badge.user_id))
        .filter(window__center_id=badge.center_id, window__is_active=True)
        .select_related("window")
        .order_by("window__number", "id")
        .first()
    )
    return BadgeCard(
        badge=badge,
        name=badge.user.display_name,
        department=staff.department.name if staff and staff.department else "",
        window=str(post.window) if post else "",
        center=badge.center.name,
    )


def unbadged_staff(center: Center) -> QuerySet[Staff]:
    """Active staff of the center without a badge in force (those the issue form offers)."""
    holders = Badge.objects.filter(center=center, withdrawn_on__isnull=True).values("user_id")
    return (
        Staff.objects.filter(center=center, user__is_active=True)
        .exclude(user_id__in=holders)
        .select_related("user")
        .order_by("user__username")
    )
