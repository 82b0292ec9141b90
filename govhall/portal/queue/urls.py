"""Public front-desk pages: queues (issue #4): the kiosk (取号机), the ticket's receipt and page,
and the hall's display board (叫号显示屏) with its live stream."""

from django.urls import URLPattern, path

from govhall.portal.queue import views

urlpatterns: list[URLPattern] = [
    path("kiosk/<str:code>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:code>/appointment/", views.kiosk_check_in, name="kiosk_check_in"),
    path("kiosk/<str:code>/restart/", views.kiosk_restart, name="kiosk_restart"),
    path("kiosk/<str:code>/take/<str:letter>/", views.kiosk_take, name="kiosk_take"),
    path("kiosk/<str:code>/ticket/<str:token>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("ticket/<str:token>/", views.ticket_status, name="ticket"),
    path("ticket/<str:token>/print/", views.ticket_print, name="ticket_print"),
    path("board/<str:code>/", views.board, name="board"),
    path("board/<str:code>/stream", views.board_stream, name="board_stream"),
    path("board/<str:code>/state.json", views.board_state_json, name="board_state"),
]
