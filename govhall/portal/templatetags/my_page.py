"""`{% my_unread_badge %}`: next to the signed-in applicant's link to My page in every portal
page's header, the number of unread messages (issue 19 item 3); nothing when nobody is signed in
or nothing is unread. One COUNT query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from govhall.online.queries.my_page import unread_count
from govhall.portal.online.session import acting_applicant

register = template.Library()


@register.simple_tag(takes_context=True)
def my_unread_badge(context: Any) -> SafeString | str:
    request = context.get("request")
    whose = acting_applicant(request) if request is not None else None
    if whose is None:
        return ""
    unread = unread_count(whose)
    if not unread:
        return ""
    return format_html(
        '<span class="badge badge-warn my-badge" id="my-unread-badge" title="{}">{}</span>',
        _("Unread messages"),
        unread,
    )
