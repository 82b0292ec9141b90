"""Whether an item can be applied for online, and its form (issue 19 item 2).

def online_refusal(item) -> str | None     # why not (translated), None when it can
def form_fields_of(item) -> list[FormField]
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govhall.catalog.models import FormField, ServiceItem


def online_refusal(item: ServiceItem) -> str | None:
    """The one rule for the online hall's pages and the API: a published item whose online
    application is switched on in the catalog."""
    if not item.is_active:
        return _("This item is not published.")
    if not item.online_available:
        return _("This item cannot be applied for online; please apply at the window.")
    return None


def form_fields_of(item: ServiceItem) -> list[FormField]:
    return list(FormField.objects.filter(item=item).order_by("position", "id"))
