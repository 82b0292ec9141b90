"""The public guide of a 一件事 bundle (issue 19 item 5): its items, the merged materials (a
material asked by several items once), the shared form (a key asked once), its promise and the
"在线申请" button when every item is offered online."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.catalog.queries.bundles import (
    bundle_items,
    bundle_refusal,
    merged_fields,
    merged_materials,
    public_bundles,
)


def bundle_guide(request: HttpRequest, code: str) -> HttpResponse:
    bundle = public_bundles().filter(code=code).first()
    if bundle is None:
        raise Http404
    items = bundle_items(bundle)
    return render(
        request,
        "portal/bundles/guide.html",
        {
            "bundle": bundle,
            "items": items,
            "materials": merged_materials(bundle),
            "fields": merged_fields(bundle),
            "online": bundle_refusal(bundle, online=True) is None,
            "longest": max((i.promised_days for i in items), default=0),
        },
    )
