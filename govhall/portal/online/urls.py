from django.urls import path

from govhall.portal.online import views

urlpatterns = [
    path("account/login/", views.login, name="online_login"),
]
