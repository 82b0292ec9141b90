"""The API documentation page (/api/v1/docs) with Swagger UI served from our own static files
(npm package swagger-ui-dist, see package.json and STATICFILES_DIRS), never from a CDN, and
without inline script, so the Content-Security-Policy holds on it too."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    template = "api/swagger.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            **self.settings,
            "url": self.get_openapi_url(api, kwargs),
            # No call to the public validator service: the page talks to this server only.
            "validatorUrl": None,
        }
        return render(
            request, self.template, {"swagger_settings": json.dumps(settings), "api": api}
        )
