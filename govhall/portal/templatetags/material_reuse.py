"""`{% draft_offer application material as offer %}`: what a material of an online draft may use
instead of an upload (issue 19 item 4): `offer.library` (a ReuseOffer) and `offer.licence` (an
ElectronicLicence), or None. The offers of the whole draft are read once per page."""

from __future__ import annotations

from django import template

from govhall.catalog.models import Material
from govhall.online.models import OnlineApplication
from govhall.online.services.library import DraftOffer, application_reuse_offers

register = template.Library()


@register.simple_tag
def draft_offer(application: OnlineApplication, material: Material) -> DraftOffer | None:
    offers = getattr(application, "_draft_offers", None)
    if offers is None:
        offers = application_reuse_offers(application)
        application._draft_offers = offers  # type: ignore[attr-defined]
    return offers.get(material.pk)
