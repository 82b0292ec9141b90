"""Static files: Django's app with the vendor files nobody loads left out of collectstatic.

The npm packages under STATICFILES_DIRS ship source maps and several builds of the same library
(echarts: 51 MB, of which the pages load echarts.min.js; swagger-ui: 13 MB, of which the API
docs load the bundle and its CSS). `collectstatic` would copy and compress (gzip and brotli)
every one of them: on each deployment, and in scripts/prod-stack on each test run (issue 20).
Whatever matches these patterns is not collected (CoreConfig.ready adds them to the staticfiles
app's ignore patterns, which collectstatic and findstatic read; INSTALLED_APPS keeps Django's own
app, which pytest-django's live server looks for by name); a page that starts loading one of
these files must take its pattern out.
"""

from __future__ import annotations

from django.apps import apps

UNUSED_VENDOR_FILES = [
    "*.map",
    "log.*.txt",
    # echarts: the pages load echarts.min.js only.
    "echarts.js",
    "echarts.common*",
    "echarts.simple*",
    "echarts.esm*",
    # swagger-ui: the API docs load swagger-ui-bundle.js and swagger-ui.css only.
    "swagger-ui-es-bundle*",
    "swagger-ui.js",
    # htmx: the pages load htmx.min.js only.
    "htmx.amd.js",
    "htmx.cjs.js",
    "htmx.esm.*",
]


def ignore_unused_vendor_files() -> None:
    config = apps.get_app_config("staticfiles")
    config.ignore_patterns = [  # type: ignore[attr-defined]
        *config.ignore_patterns,  # type: ignore[attr-defined]
        *UNUSED_VENDOR_FILES,
    ]
