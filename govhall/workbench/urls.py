from django.contrib.auth import views as auth_views
from django.urls import path

from govhall.workbench import views
from govhall.workbench.account import urls as account
from govhall.workbench.appointments import urls as appointments
from govhall.workbench.assessment import urls as assessment
from govhall.workbench.assessment import urls_files as assessment_files
from govhall.workbench.attendance import urls as attendance
from govhall.workbench.calendar import urls as calendar
from govhall.workbench.cases import urls as cases
from govhall.workbench.catalog import urls as catalog
from govhall.workbench.conduct import urls as conduct
from govhall.workbench.feedback import urls_bad_ratings as feedback_bad_ratings
from govhall.workbench.feedback import urls_complaints as feedback_complaints
from govhall.workbench.feedback import urls_petitions as feedback_petitions
from govhall.workbench.feedback import urls_ratings as feedback_ratings
from govhall.workbench.feedback import urls_screens as feedback_screens
from govhall.workbench.feedback import urls_suggestions as feedback_suggestions
from govhall.workbench.feedback import urls_supervisors as feedback_supervisors
from govhall.workbench.feedback import urls_surveys as feedback_surveys
from govhall.workbench.feedback import urls_work_orders as feedback_work_orders
from govhall.workbench.forms import LoginForm
from govhall.workbench.hallops import urls as hallops
from govhall.workbench.inquiries import urls as inquiries
from govhall.workbench.learning import urls as learning
from govhall.workbench.leave import urls as leave
from govhall.workbench.licences import urls as licences
from govhall.workbench.notices import urls as notices
from govhall.workbench.org import urls as org
from govhall.workbench.outreach import urls as outreach
from govhall.workbench.patrols import urls as patrols
from govhall.workbench.presence import urls as presence
from govhall.workbench.queue import urls as queue
from govhall.workbench.rosters import urls as rosters
from govhall.workbench.selection import urls as selection
from govhall.workbench.stats import urls_figures as stats_figures
from govhall.workbench.stats import urls_reports as stats_reports
from govhall.workbench.supervision import urls_alerts as supervision_alerts
from govhall.workbench.supervision import urls_board as supervision_board
from govhall.workbench.supervision import urls_timeout as supervision_timeout

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/hall-now/", views.hall_now_panel, name="hall_now"),
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
    *account.urlpatterns,
    *org.urlpatterns,
    *outreach.urlpatterns,
    *catalog.urlpatterns,
    *calendar.urlpatterns,
    *attendance.urlpatterns,
    *leave.urlpatterns,
    *learning.urlpatterns,
    *presence.urlpatterns,
    *rosters.urlpatterns,
    *selection.urlpatterns,
    *conduct.urlpatterns,
    *cases.urlpatterns,
    *licences.urlpatterns,
    *inquiries.urlpatterns,
    *queue.urlpatterns,
    *notices.urlpatterns,
    *appointments.urlpatterns,
    *assessment.urlpatterns,
    *assessment_files.urlpatterns,
    *patrols.urlpatterns,
    *hallops.urlpatterns,
    *supervision_board.urlpatterns,
    *supervision_alerts.urlpatterns,
    *supervision_timeout.urlpatterns,
    *feedback_screens.urlpatterns,
    *feedback_bad_ratings.urlpatterns,
    *feedback_ratings.urlpatterns,
    *feedback_suggestions.urlpatterns,
    *feedback_supervisors.urlpatterns,
    *feedback_surveys.urlpatterns,
    *feedback_petitions.urlpatterns,
    *feedback_complaints.urlpatterns,
    *feedback_work_orders.urlpatterns,
    *stats_figures.urlpatterns,
    *stats_reports.urlpatterns,
]
