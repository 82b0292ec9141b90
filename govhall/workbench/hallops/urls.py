from django.urls import path

from govhall.workbench.hallops import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("hallops/meetings/", views.meetings, name="hallops_meetings"),
    path("hallops/meetings/new/", views.meeting_new, name="hallops_meeting_new"),
    path("hallops/meetings/<int:meeting_id>/", views.meeting_detail, name="hallops_meeting"),
    path("hallops/decisions/", views.decisions_board, name="hallops_decisions"),
    path(
        "hallops/decisions/<int:decision_id>/act/",
        views.decision_act_view,
        name="hallops_decision_act",
    ),
    path("hallops/plan/", views.plan_page, name="hallops_plan"),
    path("hallops/plan/print/", views.plan_print, name="hallops_plan_print"),
    path("hallops/plans/<int:plan_id>/section/", views.plan_section, name="hallops_plan_section"),
    path("hallops/emergencies/", views.emergencies, name="hallops_emergencies"),
    path("hallops/emergencies/<int:event_id>/", views.emergency_detail, name="hallops_emergency"),
]
