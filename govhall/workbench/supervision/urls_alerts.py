from django.urls import path

from govhall.workbench.supervision import views_alerts

# The alert inbox and the supervision rules (issue 14 items 2 and 5); URL names are joined into
# the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("supervision/alerts/", views_alerts.alerts, name="alerts"),
    path("supervision/alerts/<int:alert_id>/", views_alerts.alert_detail, name="alert"),
    path(
        "supervision/alerts/<int:alert_id>/<str:action>/",
        views_alerts.alert_act,
        name="alert_action",
    ),
    path("supervision/rules/", views_alerts.alert_rules, name="alert_rules"),
    path("supervision/rules/<int:rule_id>/", views_alerts.alert_rule_edit, name="alert_rule"),
]
