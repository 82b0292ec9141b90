"""Who manages hall notices: hall managers, each notice only within their center subtree
(missing and forbidden alike are Http404)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.frontdesk.access.tickets import can_manage_groups
from govhall.frontdesk.models import HallNotice
from govhall.org.access.scope import centers_in_scope


def can_manage_notices(user: object) -> bool:
    """Hall managers (director, administrator) write their halls' notices."""
    return can_manage_groups(user)


def notices_in_scope(user: object) -> QuerySet[HallNotice]:
    if not can_manage_notices(user):
        return HallNotice.objects.none()
    return HallNotice.objects.filter(center__in=centers_in_scope(user))


def access_notice(user: object, notice_id: object, *, for_write: bool = False) -> HallNotice:
    """The notice with this id if it belongs to the user's center subtree (reading and writing
    both need a hall manager; the service checks the center once more)."""
    try:
        notice: HallNotice = (
            notices_in_scope(user).select_related("center").get(pk=id_or_404(notice_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return notice
