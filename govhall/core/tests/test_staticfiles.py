"""collectstatic leaves out the vendor files no page loads (issue 20: deployments and the
production stack compress every collected file), and keeps the ones the pages do load."""

from django.apps import apps
from django.contrib.staticfiles import finders


def test_collectstatic_collects_what_pages_load_and_not_the_rest():
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    collected = {path for finder in finders.get_finders() for path, _ in finder.list(ignore)}
    for used in (
        "echarts.min.js",
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "htmx.min.js",
        "errors/unavailable.html",
    ):
        assert any(path.endswith(used) for path in collected), used
    assert not [path for path in collected if path.endswith(".map")]
    assert not [path for path in collected if "echarts.esm" in path or "es-bundle" in path]
