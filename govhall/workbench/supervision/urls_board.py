from django.urls import path

from govhall.workbench.supervision import views_board, views_notices

# The supervision board and criticism notices (issue 14 item 5); URL names are joined into the
# "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("supervision/board/", views_board.board, name="board"),
    path("supervision/board/cases/", views_board.board_case_list, name="board_cases"),
    path("supervision/board/alerts/", views_board.board_alert_list, name="board_alerts"),
    path("supervision/notices/", views_notices.notices, name="criticism_notices"),
    path("supervision/notices/new/", views_notices.notice_new, name="criticism_notice_new"),
    path(
        "supervision/notices/<int:notice_id>/",
        views_notices.notice_print,
        name="criticism_notice",
    ),
]
