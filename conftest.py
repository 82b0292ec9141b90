"""Fixture modules shared by every app's tests (pytest only allows this at the top level)."""

pytest_plugins = [
    "govhall.testing.case_hall",
    "govhall.testing.demo_hall",
    "govhall.testing.queue_hall",
]
