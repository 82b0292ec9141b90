"""The Celery application of the project (issue 14): background jobs on Redis, scheduled by beat.

Its settings are Django's `CELERY_*` (govhall/settings.py): with no `GOVHALL_BROKER_URL` every
task runs in the process that sends it (`task_always_eager`), so the demo hall needs no broker.
Tasks live in each app's `tasks` module, thin wrappers over the app's services; they are found
by `autodiscover_tasks`. `celery -A govhall worker` and `govhall worker` start a worker.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")

app = Celery("govhall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
