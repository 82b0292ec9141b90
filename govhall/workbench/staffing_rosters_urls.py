from django.urls import path  # noqa: F401

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns: list = []
