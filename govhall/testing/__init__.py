"""Helpers shared by the tests of every app. A normal package, never collected as tests and never
imported by the application itself (core/tests/test_layers.py checks both).

- `factories`: factory_boy factories and `make_staff`.
- `case_hall`, `queue_hall`: pytest fixtures (a hall with windows, items and queue groups),
  registered for every test by the top-level conftest.py (`pytest_plugins`).
- `cases`: case rows built straight in the database, test identities, the intake form's data.
- `appointments`, `leave`: fixed days, people and a window for the appointment and leave tests.
- `phone_codes`: the SMS code a public booking needs, read from the outbox.
- `parallel`: running calls at the same moment, each on its own connection.
- `spreadsheets`, `catalog_sheets`: workbooks to import (a zip bomb, catalog sheets).
- `browser`: signing in through the real login page.

The standard fixtures (county, clerk, client_as, page, ...) stay in govhall/conftest.py.
"""
