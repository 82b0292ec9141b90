from django.contrib.auth import views as auth_views
from django.urls import path

from govhall.workbench import (
    account_urls,
    calendar_urls,
    cases_urls,
    catalog_urls,
    frontdesk_appointment_urls,
    frontdesk_inquiry_urls,
    frontdesk_queue_urls,
    org_urls,
    staffing_attendance_urls,
    staffing_leave_urls,
    staffing_presence_urls,
    staffing_rosters_urls,
    views,
)
from govhall.workbench.forms import LoginForm

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="workbench/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("events/", views.event_log, name="events"),
    path("jobs/<int:job_id>/", views.job_progress, name="job"),
    *account_urls.urlpatterns,
    *org_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *calendar_urls.urlpatterns,
    *staffing_attendance_urls.urlpatterns,
    *staffing_leave_urls.urlpatterns,
    *staffing_presence_urls.urlpatterns,
    *staffing_rosters_urls.urlpatterns,
    *cases_urls.urlpatterns,
    *frontdesk_inquiry_urls.urlpatterns,
    *frontdesk_queue_urls.urlpatterns,
    *frontdesk_appointment_urls.urlpatterns,
]
