"""The JSON API under /api/v1/ with its OpenAPI document at /api/v1/docs."""

import copy
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from govhall.api.docs import LocalSwagger
from govhall.api.routers import (
    assessment,
    assessment_files,
    calendar,
    cases,
    catalog,
    disclosure,
    feedback_bad_ratings,
    feedback_complaints,
    feedback_petitions,
    feedback_ratings,
    feedback_suggestions,
    feedback_supervisors,
    feedback_work_orders,
    frontdesk_appointments,
    frontdesk_inquiries,
    frontdesk_notices,
    frontdesk_outreach,
    frontdesk_queue,
    hallops,
    licences,
    org,
    progress,
    staffing_attendance,
    staffing_conduct,
    staffing_learning,
    staffing_leave,
    staffing_presence,
    staffing_rosters,
    staffing_selection,
    stats,
    supervision,
    supervision_notices,
    supervision_patrols,
)
from govhall.api.schemas import (
    JsonParser,
    declare_error_responses,
    error_body,
    install_error_handlers,
)


class GovhallAPI(NinjaAPI):
    """The API, whose OpenAPI document is built once per process.

    Building it walks every operation's schemas (3.7 s for 238 paths on a busy core); the
    routes cannot change after start-up, so each call of /api/v1/openapi.json, the docs page
    and the tests get a copy of the first build."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._built: dict[str, OpenAPISchema] = {}  # by path prefix

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._built:
            self._built[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        # A copy: a caller that changes its document must not change the next caller's.
        return copy.deepcopy(self._built[path_prefix])


api = GovhallAPI(
    title="govhall API",
    version="1.0",
    description=(
        "JSON API of govhall for department systems and the online hall. Lists take `limit` "
        "(default 50, at most 200) and `offset`; every staff member is named the same way "
        "(`PersonOut`: id, username, name).\n\n"
        "**Errors** (one policy for every operation, written in `govhall/api/schemas.py`). "
        "Every refusal has the body `{detail, errors?}` (`errors`: messages by field): "
        "**422** refused input or a refused action, with the fields at fault; "
        "**409** a conflict: the object changed since you read it (stale version or status, "
        "someone acted first), a duplicate, already done; "
        "**404** missing *or* forbidden (outside your scope, or not your role's operation: "
        "nothing tells the two apart); "
        "**429** rate limited, with `Retry-After` in seconds. "
        "Before any operation: 401 no or bad credentials, 403 a session call without its CSRF "
        "token, 400 a NUL character, 413 a body over the limit, 415 a body not sent as "
        "application/json."
    ),
    urls_namespace="api",
    docs=LocalSwagger(),  # Swagger UI from our static files (npm), not a CDN
    parser=JsonParser(),
)
install_error_handlers(api)
api.add_router("/assessment/", assessment.router, tags=["assessment"])
api.add_router("/assessment-files/", assessment_files.router, tags=["assessment"])
api.add_router("/calendar/", calendar.router, tags=["calendar"])
api.add_router("/cases/", cases.router, tags=["cases"])
api.add_router("/catalog/", catalog.router, tags=["catalog"])
api.add_router("/disclosure/", disclosure.router, tags=["public disclosure"])
api.add_router("/feedback/complaints/", feedback_complaints.router, tags=["complaints"])
api.add_router("/feedback/bad-ratings/", feedback_bad_ratings.router, tags=["bad ratings"])
api.add_router("/feedback/petitions/", feedback_petitions.router, tags=["petitions"])
api.add_router("/feedback/ratings/", feedback_ratings.router, tags=["ratings"])
api.add_router(
    "/feedback/suggestions/", feedback_suggestions.router, tags=["suggestion box and message book"]
)
api.add_router(
    "/feedback/supervisors/", feedback_supervisors.router, tags=["social supervisors and surveys"]
)
api.add_router("/feedback/work-orders/", feedback_work_orders.router, tags=["12345 work orders"])
api.add_router("/frontdesk/inquiries/", frontdesk_inquiries.router, tags=["first inquiries"])
api.add_router("/frontdesk/notices/", frontdesk_notices.router, tags=["hall notices"])
api.add_router("/frontdesk/queue/", frontdesk_queue.router, tags=["queue tickets"])
api.add_router("/frontdesk/appointments/", frontdesk_appointments.router, tags=["appointments"])
api.add_router(
    "/frontdesk/outreach/", frontdesk_outreach.router, tags=["service beyond the counter"]
)
api.add_router("/org/", org.router, tags=["organization"])
api.add_router("/licences/", licences.router, tags=["electronic licences"])
api.add_router("/hallops/", hallops.router, tags=["joint meetings and emergencies"])
api.add_router("/progress/", progress.router, tags=["progress inquiry (public)"])
api.add_router("/staffing/attendance/", staffing_attendance.router, tags=["attendance"])
api.add_router("/staffing/leave/", staffing_leave.router, tags=["leave"])
api.add_router("/staffing/conduct/", staffing_conduct.router, tags=["code of conduct and badges"])
api.add_router("/staffing/presence/", staffing_presence.router, tags=["presence and cover"])
api.add_router("/staffing/learning/", staffing_learning.router, tags=["study and training"])
api.add_router("/staffing/rosters/", staffing_rosters.router, tags=["rosters and assignments"])
api.add_router("/staffing/selections/", staffing_selection.router, tags=["window staff selection"])
api.add_router("/stats/", stats.router, tags=["statistics"])
api.add_router("/supervision/notices/", supervision_notices.router, tags=["criticism notices"])
api.add_router("/supervision/patrols/", supervision_patrols.router, tags=["patrols"])
api.add_router("/supervision/", supervision.router, tags=["supervision"])
# Last: every operation's error codes, with the shared error body (issue 12 item 4).
declare_error_responses(api)


@csrf_exempt
def api_not_found(request: HttpRequest) -> JsonResponse:
    """An address under /api/ that no operation has (a bad id in the path, a typo)."""
    return JsonResponse(error_body(_("Not found.")), status=404)
