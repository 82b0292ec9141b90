"""Public front-desk pages: queues (issue #4): the kiosk (取号机), the ticket's receipt and page,
and the hall's display board (叫号显示屏) with its live stream."""

from django.urls import URLPattern, path

from govhall.portal import views_queue

urlpatterns: list[URLPattern] = [
    path("kiosk/<str:code>/", views_queue.kiosk, name="kiosk"),
    path("kiosk/<str:code>/appointment/", views_queue.kiosk_check_in, name="kiosk_check_in"),
    path("kiosk/<str:code>/take/<str:letter>/", views_queue.kiosk_take, name="kiosk_take"),
    path("kiosk/<str:code>/ticket/<str:token>/", views_queue.kiosk_ticket, name="kiosk_ticket"),
    path("ticket/<str:token>/", views_queue.ticket_status, name="ticket"),
    path("ticket/<str:token>/print/", views_queue.ticket_print, name="ticket_print"),
    path("board/<str:code>/", views_queue.board, name="board"),
    path("board/<str:code>/stream", views_queue.board_stream, name="board_stream"),
    path("board/<str:code>/state.json", views_queue.board_state_json, name="board_state"),
]
