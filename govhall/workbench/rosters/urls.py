from django.urls import path

from govhall.workbench.rosters import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/rosters/", views.rosters, name="rosters"),
    path("staffing/leader-visits/", views.leader_visits, name="leader_visits"),
    path("staffing/assignments/", views.assignments, name="assignments"),
    path(
        "staffing/return-warnings/",
        views.return_warnings_page,
        name="return_warnings",
    ),
    path(
        "staffing/return-warnings/<int:user_id>/decide/",
        views.return_decide_page,
        name="return_decide",
    ),
    path(
        "staffing/returns/<int:decision_id>/notice/",
        views.return_notice_page,
        name="return_notice",
    ),
]
