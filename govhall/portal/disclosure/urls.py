"""Public disclosure (政务公开, issue 18 item 5)."""

from django.urls import URLPattern, path

from govhall.portal.disclosure import views

urlpatterns: list[URLPattern] = [
    path("disclosure/", views.index, name="disclosure"),
    path("disclosure/<str:code>/", views.center_page, name="disclosure_center"),
    path("disclosure/<str:code>/cases/", views.cases, name="disclosure_cases"),
    path("disclosure/<str:code>/posts/", views.posts, name="disclosure_posts"),
]
