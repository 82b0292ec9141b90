"""Fixture modules shared by every app's tests (pytest only allows this at the top level)."""

pytest_plugins = ["govhall.cases.tests.fixtures", "govhall.frontdesk.tests.fixtures"]
