"""govhall: open-source software for a Chinese government service center."""

# The Celery app is loaded with the package, so `shared_task`s bind to it in every process.
from govhall.celery import app as celery_app

__all__ = ("celery_app",)
