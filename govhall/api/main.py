"""The JSON API under /api/v1/ with its OpenAPI document at /api/v1/docs."""

from ninja import NinjaAPI

from govhall.api.routers import (
    calendar,
    cases,
    catalog,
    frontdesk_appointments,
    frontdesk_inquiries,
    frontdesk_queue,
    org,
    progress,
    staffing_attendance,
    staffing_leave,
    staffing_presence,
    staffing_rosters,
)

api = NinjaAPI(
    title="govhall API",
    version="1.0",
    description="JSON API of govhall for department systems and the online hall.",
    urls_namespace="api",
)
api.add_router("/calendar/", calendar.router, tags=["calendar"])
api.add_router("/cases/", cases.router, tags=["cases"])
api.add_router("/catalog/", catalog.router, tags=["catalog"])
api.add_router("/frontdesk/inquiries/", frontdesk_inquiries.router, tags=["first inquiries"])
api.add_router("/frontdesk/queue/", frontdesk_queue.router, tags=["queue tickets"])
api.add_router("/frontdesk/appointments/", frontdesk_appointments.router, tags=["appointments"])
api.add_router("/org/", org.router, tags=["organization"])
api.add_router("/progress/", progress.router, tags=["progress inquiry (public)"])
api.add_router("/staffing/attendance/", staffing_attendance.router, tags=["attendance"])
api.add_router("/staffing/leave/", staffing_leave.router, tags=["leave"])
api.add_router("/staffing/presence/", staffing_presence.router, tags=["presence and cover"])
api.add_router("/staffing/rosters/", staffing_rosters.router, tags=["rosters and assignments"])
