"""Who reads and who changes a center's code of conduct and its badges (issue 21 item 3).

Everyone who works in the hall reads the code of the centers of their scope (it binds them);
a hall manager of the center (`manages_center`: director or administrator over that center's
subtree) changes its lines, publishes it and issues or withdraws its badges. The badge list is
read by those who oversee staff (`can_read_staff`). Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.http import Http404

from govhall.org.access.scope import can_read_staff, can_use_workbench, centers_in_scope
from govhall.org.access.standing import manages_center
from govhall.staffing.models.conduct import Badge, ConductRule


def can_read_conduct(user: object) -> bool:
    return can_use_workbench(user)


def can_manage_conduct(user: object, center_id: object) -> bool:
    return user is not None and can_use_workbench(user) and manages_center(user, center_id)


def can_read_badges(user: object) -> bool:
    return can_read_staff(user)


def access_conduct_rule(user: object, rule_id: object, *, for_write: bool = False) -> ConductRule:
    try:
        rule = ConductRule.objects.filter(center__in=centers_in_scope(user)).get(
            pk=int(str(rule_id))
        )
    except (ValueError, ConductRule.DoesNotExist):
        raise Http404 from None
    if for_write and not can_manage_conduct(user, rule.center_id):
        raise Http404
    return rule


def access_badge(user: object, badge_id: object, *, for_write: bool = False) -> Badge:
    if not can_read_badges(user) and not for_write:
        raise Http404
    try:
        badge = (
            Badge.objects.filter(center__in=centers_in_scope(user))
            .select_related("center", "user")
            .get(pk=int(str(badge_id)))
        )
    except (ValueError, Badge.DoesNotExist):
        raise Http404 from None
    if for_write and not can_manage_conduct(user, badge.center_id):
        raise Http404
    return badge
