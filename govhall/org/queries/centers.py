"""Reading the center tree, each read in a fixed small number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from govhall.org.access.scope import centers_in_scope, departments_in_scope, windows_in_scope
from govhall.org.models import Center


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


def active_centers_below(center_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active centers below `center_id` in tree order, itself excluded: the
    centers a calendar closure applied "also below" reaches (issue 16 item 9). Two queries."""
    path = Center.objects.filter(pk=center_id).values_list("path", flat=True).first()
    if not path:
        return []
    below = Center.objects.filter(path__startswith=path, is_active=True).exclude(pk=center_id)
    return list(below.order_by("path").values_list("pk", "name"))
