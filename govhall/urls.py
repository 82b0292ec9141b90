from django.contrib import admin
from django.urls import include, path, re_path

from govhall.api.main import api, api_not_found

urlpatterns = [
    path("", include("govhall.portal.urls")),
    path("staff/", include("govhall.workbench.urls")),
    path("api/v1/", api.urls),
    # Any other address under /api/ answers the API's JSON 404, not an HTML page.
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# 400, 403 and 404 are Django's handlers with our templates (govhall/templates); the 500 page is
# rendered without context processors, so it needs neither the session nor the database.
handler500 = "govhall.core.errors.server_error"
