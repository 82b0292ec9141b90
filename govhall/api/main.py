"""The JSON API under /api/v1/ with its OpenAPI document at /api/v1/docs."""

from ninja import NinjaAPI

from govhall.api.routers import calendar, catalog, org

api = NinjaAPI(
    title="govhall API",
    version="1.0",
    description="JSON API of govhall for department systems and the online hall.",
    urls_namespace="api",
)
api.add_router("/calendar/", calendar.router, tags=["calendar"])
api.add_router("/catalog/", catalog.router, tags=["catalog"])
api.add_router("/org/", org.router, tags=["organization"])
