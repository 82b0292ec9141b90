"""Standard fixtures: a county hall with one user per role, and an outsider from another county.

Every view test uses `outsider` to check that access from another center is denied.
"""

from __future__ import annotations

import importlib
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.db import connection
from django.db import migrations as migration_ops
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, RequestFactory
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import PASSWORD, CenterFactory, DepartmentFactory, make_staff
from govhall.workdays.queries.calendar import drop_cached_calendars

# No per-example deadline: a busy 2-core CI machine must not turn slowness into failures.
# Under CI the examples are derandomized, so a run is repeatable; locally they vary and explore.
hypothesis_settings.register_profile("govhall", deadline=None)
hypothesis_settings.register_profile("govhall-ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("govhall-ci" if os.environ.get("CI") else "govhall")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Calendars are cached per process; a test's rolled-back rows must not leak into the next.
    drop_cached_calendars()
    yield
    drop_cached_calendars()


@pytest.fixture(autouse=True)
def _default_language(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # A request through the test client activates its language in this thread and leaves it
    # active; without a reset, a test's messages would depend on which test ran before it.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _eager_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GOVHALL_TASK_MODE = "eager"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # Every staff fixture hashes a password; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> Center:
    return CenterFactory(code="330100", name="示例县政务服务中心", level=CenterLevel.COUNTY)


@pytest.fixture
def town(county: Center) -> Center:
    return CenterFactory(
        code="330101", name="示例镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )


@pytest.fixture
def other_county(db: None) -> Center:
    return CenterFactory(code="440100", name="别县政务服务中心", level=CenterLevel.COUNTY)


@pytest.fixture
def department(county: Center) -> Department:
    return DepartmentFactory(center=county, code="SCJG", name="县市场监督管理局")


@pytest.fixture
def other_department(county: Center) -> Department:
    return DepartmentFactory(center=county, code="BDC", name="县不动产登记中心")


@pytest.fixture
def director(county: Center) -> User:
    return make_staff(Role.DIRECTOR, county, username="director")


@pytest.fixture
def admin_user(county: Center) -> User:
    return make_staff(Role.ADMIN, county, username="sysadmin")


@pytest.fixture
def guide(county: Center) -> User:
    return make_staff(Role.GUIDE, county, username="guide")


@pytest.fixture
def clerk(county: Center, department: Department) -> User:
    return make_staff(Role.CLERK, county, department, username="clerk", window_staff=True)


@pytest.fixture
def window_head(county: Center, department: Department) -> User:
    return make_staff(Role.WINDOW_HEAD, county, department, username="head", window_staff=True)


@pytest.fixture
def reviewer(county: Center, department: Department) -> User:
    return make_staff(Role.REVIEWER, county, department, username="reviewer")


@pytest.fixture
def approver(county: Center, department: Department) -> User:
    return make_staff(Role.APPROVER, county, department, username="approver")


@pytest.fixture
def supervisor(county: Center) -> User:
    return make_staff(Role.SUPERVISOR, county, username="supervisor")


@pytest.fixture
def dept_leader(county: Center, department: Department) -> User:
    return make_staff(Role.DEPT_LEADER, county, department, username="leader")


@pytest.fixture
def social_supervisor(county: Center) -> User:
    return make_staff(Role.SOCIAL_SUPERVISOR, county, username="social")


@pytest.fixture
def agent(county: Center) -> User:
    """A 代办员 of the county (issue 19 item 6): reads only the cases they carry."""
    return make_staff(Role.AGENT, county, username="agent", full_name="代办员甲")


@pytest.fixture
def county_leader(county: Center) -> User:
    """The county leader in charge (分管县领导, issue 21): approves window staff selections."""
    return make_staff(Role.COUNTY_LEADER, county, username="countyleader", full_name="刘振华")


@pytest.fixture
def outsider(other_county: Center) -> User:
    """A hall director of another county: sees nothing of `county`."""
    return make_staff(Role.DIRECTOR, other_county, username="outsider")


def login(client: Client, user: User, password: str = PASSWORD) -> Client:
    # django-axes' backend needs the request: a logged-in test goes through the real password
    # check and the lockout counters, as a login through the form does.
    request = RequestFactory().get("/")
    assert client.login(request=request, username=user.username, password=password)
    return client


@pytest.fixture
def client_as(client: Client):  # type: ignore[no-untyped-def]
    """`client_as(user)` logs the test client in as `user` and returns it."""

    def _login(user: User) -> Client:
        client.logout()
        return login(client, user)

    return _login


# --- browser tests: Debian's chromium driven by Playwright (no browser download) -------------

TEST_SPLIT = "GOVHALL_TEST_SPLIT"


def _module_text(path: str, seen: dict[str, str] = {}) -> str:  # noqa: B006 (a cache)
    if path not in seen:
        seen[path] = Path(path).read_text(encoding="utf-8").lower()
    return seen[path]


def _mentions_a_database(path: str) -> bool:
    text = _module_text(path)
    return "postgres" in text or "vendor" in text or "sqlite" in text


# What a module does that the two databases answer differently: transactions seen from other
# connections (locks, races, on_commit), raw SQL, and the statistics' and scans' aggregation
# queries (dates, grouping, NULL order). Query counts are the same on both (RETURNING included).
DATABASE_SENSITIVE_TEXT = (
    "transaction=true",
    "transactional_db",
    "threading",
    "connection.cursor",
    "select_for_update",
    "raw(",
)
DATABASE_SENSITIVE_APPS = ("govhall/stats/tests/",)
DATABASE_SENSITIVE_NAMES = ("quer", "scan", "report", "rollup")


def _is_database_sensitive(path: str, relative: str) -> bool:
    if _mentions_a_database(path) or relative.startswith(DATABASE_SENSITIVE_APPS):
        return True
    text = _module_text(path)
    name = Path(path).name
    return any(marker in text for marker in DATABASE_SENSITIVE_TEXT) or any(
        part in name for part in DATABASE_SENSITIVE_NAMES
    )


# A test that asks for none of these (and has no django_db mark) cannot touch the test database:
# what it checks (the source's layers, a command in a process of its own with its own SQLite
# file, a pure function) is the same in both passes.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def _touches_no_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is None and not fixtures & DATABASE_FIXTURES


# Of the shared-out tests, the SQLite pass takes this many in twenty: it also runs the checks
# (ruff, mypy) first and the demo tests, but the same test runs faster on SQLite; the PostgreSQL
# pass runs schemathesis's director run, the longest single part. Measured to end together.
SQLITE_SHARE_OF_TWENTY = 13


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With GOVHALL_TEST_SPLIT set (scripts/test sets it), the two database passes share out
    the tests, so the suite keeps to its time budget on two cores:

    - a test whose module does what the two databases answer differently runs in both passes:
      it names a database, or uses transactions other connections see (locks, races,
      on_commit), runs raw SQL, or tests the statistics, a scan, a report, a rollup or a query
      module (aggregation, dates, NULL order) — unless it touches no test database at all;
    - a test of the full demo runs in the SQLite pass, the quick start's database (the
      production stack's smoke test loads the demo's hall on PostgreSQL in every run);
    - every other test runs in one pass, chosen by a stable hash of its name (a browser test's
      cases stay together), so every rule is still checked, half of them on each database.

    Run alone (no GOVHALL_TEST_SPLIT), every test runs."""
    if not os.environ.get(TEST_SPLIT):
        return
    sqlite_pass = connection.vendor == "sqlite"
    other = pytest.mark.skip(reason="runs in the other database pass (GOVHALL_TEST_SPLIT)")
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "demo_hall" in fixtures:
            if not sqlite_pass:
                item.add_marker(other)
            continue
        path = str(getattr(item, "path", ""))
        relative = path[path.find("govhall/") :] if "govhall/" in path else path
        transactional = "transactional_db" in fixtures or any(
            mark.kwargs.get("transaction") for mark in item.iter_markers("django_db")
        )
        both = transactional or (
            not _touches_no_database(item) and _is_database_sensitive(path, relative)
        )
        if "chromium" not in fixtures and both:
            continue  # both passes
        name = item.nodeid.split("[", 1)[0] if "chromium" in fixtures else item.nodeid
        in_sqlite = zlib.crc32(name.encode()) % 20 < SQLITE_SHARE_OF_TWENTY
        if in_sqlite != sqlite_pass:
            item.add_marker(other)


MIGRATION_MODULES = django_settings.MIGRATION_MODULES


@pytest.fixture(scope="session")
def django_db_use_migrations(request: pytest.FixtureRequest) -> bool:
    """The SQLite pass builds its test database by running every migration, as the quick start
    does; the PostgreSQL pass (under GOVHALL_TEST_SPLIT) builds it from the models, which
    `makemigrations --check` holds equal to the migrations, and then runs the migrations' data
    steps (`_run_data_steps`): a minute less on the longest pass. PostgreSQL's migrations run
    in the same test command anyway, when the production stack migrates its database."""
    if os.environ.get(TEST_SPLIT) and connection.vendor == "postgresql":
        return False
    return not request.config.getvalue("nomigrations")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_use_migrations, django_db_blocker):  # type: ignore[no-untyped-def]
    if not django_db_use_migrations:
        # pytest-django hid the migrations to build the schema from the models; the tests see
        # them again (a backup names the migration heads, the checks read the graph).
        django_settings.MIGRATION_MODULES = MIGRATION_MODULES
        with django_db_blocker.unblock():
            _run_data_steps()


def _run_data_steps() -> None:
    """Every RunPython step of our migrations, app by app in INSTALLED_APPS order and each app's
    migrations in order, against the current models: the role groups, the event log's
    append-only trigger, the default alert rules (the backfills find nothing to fill). Each
    migration is then recorded as applied, as after `migrate` (a backup names the heads)."""
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()

    with connection.schema_editor() as editor:
        for config in django_apps.get_app_configs():
            folder = Path(config.path) / "migrations"
            if not config.name.startswith("govhall.") or not folder.is_dir():
                continue
            for file in sorted(folder.glob("[0-9]*.py")):
                module = importlib.import_module(f"{config.name}.migrations.{file.stem}")
                for operation in module.Migration.operations:
                    if isinstance(operation, migration_ops.RunPython):
                        operation.code(django_apps, editor)
                recorder.record_applied(config.label, file.stem)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
    # make around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page at the clerk's screen size, Chinese locale, on the live server."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page at a phone's screen size."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
