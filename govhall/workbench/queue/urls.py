"""Workbench pages of the front desk: queues (issue #4)."""

from django.urls import path

from govhall.workbench.queue import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("frontdesk/queue/", views.console, name="queue_console"),
    path("frontdesk/queue/panel/", views.console_panel, name="queue_console_panel"),
    path("frontdesk/queue/push/", views.console_push, name="queue_console_push"),
    path(
        "frontdesk/queue/windows/<int:window_id>/call-next/",
        views.call_next,
        name="queue_call_next",
    ),
    path(
        "frontdesk/queue/tickets/<int:ticket_id>/<str:action>/",
        views.ticket_action,
        name="queue_ticket_action",
    ),
    path("frontdesk/queue/line/", views.line, name="queue_line"),
    path("frontdesk/queue/line/panel/", views.line_panel, name="queue_line_panel"),
    path("frontdesk/queue/groups/", views.groups, name="queue_groups"),
    path("frontdesk/queue/groups/new/", views.group_new, name="queue_group_new"),
    path("frontdesk/queue/groups/build/", views.group_build, name="queue_groups_build"),
    path("frontdesk/queue/groups/<int:group_id>/", views.group_edit, name="queue_group"),
    path("frontdesk/queue/stats/", views.stats, name="queue_stats"),
]
