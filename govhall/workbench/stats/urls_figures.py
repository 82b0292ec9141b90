from django.urls import path

from govhall.workbench.stats import figures

# The case figures (issue 18 item 1); joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("stats/", figures.figures_page, name="stats_figures"),
]
