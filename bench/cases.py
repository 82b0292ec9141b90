"""Benchmark of the case lifecycle (issue 3): intake rate and the lists of due cases.

Run from the repository root:

    .venv/bin/python bench/cases.py                       # 100,000 cases on a throwaway SQLite
    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/cases.py --cases 1000000

Without DATABASE_URL it works on a SQLite file in a temporary directory, removed afterwards.
With DATABASE_URL it migrates that database and seeds it; give it an empty database you can
throw away (a second run on the same database reuses the seed when it is big enough).

It loads the demo hall (示例县政务服务中心: departments, windows, staff, 81 service items), then
seeds CASES cases with `bulk_create` (applicants, cases over two years with a realistic spread of
items, departments, statuses and due dates, joint review tasks) — the seed is not measured — and
times, in the same run:

1. cases accepted per second through the service layer (`case_receive`, outcome promised, with
   its number, applicant, materials, events, acceptance notice and SMS);
2. cases accepted per second through HTTP (`POST /api/v1/cases/` with a bearer token, Django's
   full request handling without a socket), and the same for a bare endpoint that does one
   insert of a case row (defined here, in a temporary URLconf), with the ratio;
3. the near-due and overdue lists of one department and of the whole center, as the workbench
   reads them (`govhall.cases.queries.cases.case_list`: first page of 50 and the count), the
   median of repeated runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
import types
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5_000
PAGE = 50
SEED_DAYS = 730  # seeded cases were received over the last two years
OPEN_DAYS = 40  # open cases were received in the last weeks

# Share of seeded cases per status: most are finished, the rest spread over the open states.
STATUS_SHARES: tuple[tuple[str, float], ...] = (
    ("delivered", 0.70),
    ("escalation_closed", 0.015),
    ("not_accepted", 0.04),
    ("prereview_returned", 0.005),
    ("withdrawn", 0.015),
    ("voided", 0.005),
    ("submitted", 0.006),
    ("received", 0.004),
    ("awaiting_supplement", 0.012),
    ("accepted", 0.05),
    ("in_review", 0.02),
    ("awaiting_approval", 0.03),
    ("joint_review", 0.01),
    ("escalated", 0.008),
    ("suspended", 0.005),
    ("approved", 0.012),
    ("denied", 0.003),
    ("certificate_ready", 0.05),
)
UNDECIDED = {"accepted", "in_review", "awaiting_approval", "joint_review", "escalated", "suspended"}
DECIDED_OPEN = {"approved", "denied", "certificate_ready"}
FINISHED_ACCEPTED = {"delivered", "escalation_closed"}
NOT_YET_ACCEPTED = {"submitted", "received", "awaiting_supplement"}


def setup_django(var_dir: str) -> str:
    """Set Django up; SQLite in `var_dir` unless DATABASE_URL is set. Returns the vendor."""
    warnings.filterwarnings("ignore", "No directory at")  # no collected static files here
    os.environ["GOVHALL_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "govhall.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("GOVHALL_TASK_MODE", "eager")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    return connection.vendor


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


# --- identity numbers -------------------------------------------------------------------------


def person_id(serial: int) -> str:
    """A valid resident ID number (GB 11643), unique per serial below 20 million."""
    from govhall.core.idnumbers import id_check_character

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20_000)
    first17 = f"330100{birth:%Y%m%d}{serial // 20_000 % 1000:03d}"
    return first17 + id_check_character(first17)


def phone(serial: int) -> str:
    return f"13{serial % 1_000_000_000:09d}"


# --- the hall ---------------------------------------------------------------------------------


@dataclass
class Route:
    """An item served at a window: what a seeded case of that item looks like."""

    item_id: int
    department_id: int
    window_id: int
    authorization: str
    kind: str
    legal_days: int
    promised_days: int
    joint_department_ids: tuple[int, ...]


@dataclass
class Hall:
    center: Any
    routes: list[Route]
    escalate_to_id: int | None
    clerk: Any  # acts at window `intake_route`
    intake_item: Any
    intake_window: Any
    director: Any
    department_user: Any  # a department-bound user of the busiest department
    system_user: Any


def prepare_hall() -> Hall:
    from govhall.catalog.models import ItemWindow
    from govhall.cli.demo.departments import COUNTY_CODE
    from govhall.cli.demo.loader import load_demo
    from govhall.core.models import User
    from govhall.org.models import Center

    load_demo()
    center = Center.objects.get(code=COUNTY_CODE)
    routes = []
    pairs = (
        ItemWindow.objects.filter(item__center=center)
        .select_related("item")
        .prefetch_related("item__joint_departments")
        .order_by("item_id", "window__number")
    )
    for pair in pairs:
        item = pair.item
        joint = tuple(d.pk for d in item.joint_departments.all())
        if item.on_the_spot:
            kind = "immediate"
        elif joint:
            kind = "joint"
        elif item.deciding_level:
            kind = "escalated"
        else:
            kind = "promised"
        routes.append(
            Route(
                item.pk,
                item.department_id,
                pair.window_id,
                pair.authorization,
                kind,
                item.legal_days,
                item.promised_days,
                joint,
            )
        )
    # Intake measured at window 3 (食品药品许可) by its A clerk: 食品经营许可, partial.
    intake = ItemWindow.objects.select_related("item", "window").get(
        item__center=center, item__name="食品经营许可", window__number=3
    )
    return Hall(
        center=center,
        routes=routes,
        escalate_to_id=None,
        clerk=User.objects.get(username="w03-1a"),
        intake_item=intake.item,
        intake_window=intake.window,
        director=User.objects.get(username="director"),
        department_user=User.objects.get(username="approver"),
        system_user=User.objects.get(username="head"),
    )


# --- the seed ---------------------------------------------------------------------------------


class Inserter:
    """Rows of one model given as dicts, inserted in one statement per batch: `executemany` on
    SQLite, COPY on PostgreSQL. The seed is not measured, so it skips the per-value work of
    `bulk_create`; missing values are the model fields' defaults."""

    def __init__(self, model: Any) -> None:
        from django.db import connection, models

        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        ops = connection.ops
        self.adapters: list[Callable[[Any], Any] | None] = []
        for field in self.fields:
            if isinstance(field, models.DateTimeField):
                self.adapters.append(ops.adapt_datetimefield_value)
            elif isinstance(field, models.DateField):
                self.adapters.append(ops.adapt_datefield_value)
            elif isinstance(field, models.JSONField):
                self.adapters.append(json.dumps)
            else:
                self.adapters.append(None)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"

    def insert(self, rows: list[dict[str, Any]]) -> None:
        from django.db import connection, transaction

        names = [f.attname for f in self.fields]
        defaults = self.defaults
        postgres = connection.vendor == "postgresql"
        adapters = [None] * len(self.fields) if postgres else self.adapters
        values = []
        for row in rows:
            out = []
            for name, adapt in zip(names, adapters, strict=True):
                value = row.get(name, defaults[name])
                out.append(adapt(value) if adapt is not None and value is not None else value)
            values.append(out)
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                # COPY: one stream per batch instead of a round trip per row.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for out in values:
                        copy.write_row(out)
            else:
                cursor.executemany(self.sql, values)


def seed(hall: Hall, count: int, rng: random.Random) -> float:
    """Insert `count` cases (and their applicants and joint tasks); returns seconds."""
    from django.utils import timezone

    from govhall.cases.models import Applicant, Case, CaseDepartment, JointTask
    from govhall.cli.demo.people import person_name
    from govhall.workdays.queries.calendar import calendar_for

    started = time.perf_counter()
    calendar = calendar_for(hall.center.pk)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()

    applicants = Inserter(Applicant)
    wanted = max(1_000, count // 3)
    first = Applicant.objects.count()
    for start in range(0, wanted, BATCH):
        applicants.insert(
            [
                {
                    "kind": "person",
                    "name": person_name(s),
                    "id_number": person_id(s),
                    "phone": phone(s),
                    "created_at": now,
                    "updated_at": now,
                }
                for s in range(first + start, first + min(start + BATCH, wanted))
            ]
        )
    applicant_ids = list(Applicant.objects.order_by("id").values_list("id", flat=True)[first:])

    statuses = [status for status, _ in STATUS_SHARES]
    weights = [share for _, share in STATUS_SHARES]
    serial_of_day: dict[datetime.date, int] = {}
    # Open cases need a clock: immediate items are never left open after acceptance.
    clocked = [r for r in hall.routes if r.kind != "immediate"]
    joint_routes = [r for r in hall.routes if r.kind == "joint"]
    escalated_routes = [r for r in hall.routes if r.kind == "escalated"] or clocked
    recent = UNDECIDED | NOT_YET_ACCEPTED | DECIDED_OPEN
    code = hall.center.code
    workdays = [
        today - datetime.timedelta(days=n)
        for n in range(1, SEED_DAYS + 1)
        if calendar.is_workday(today - datetime.timedelta(days=n))
    ]
    recent_workdays = [day for day in workdays if (today - day).days <= OPEN_DAYS]
    cases = Inserter(Case)
    departments = Inserter(CaseDepartment)
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        rows: list[dict[str, Any]] = []
        joint: list[tuple[str, Route, datetime.date]] = []
        for status in rng.choices(statuses, weights, k=size):
            if status == "joint_review":
                route = rng.choice(joint_routes)
            elif status in {"escalated", "escalation_closed"}:
                route = rng.choice(escalated_routes)
            elif status in UNDECIDED or status in NOT_YET_ACCEPTED:
                route = rng.choice(clocked)
            else:
                route = rng.choice(hall.routes)
            if status in UNDECIDED:
                # Most open cases are within their time; about one in ten runs over it.
                elapsed = rng.randint(0, max(1, route.promised_days * 11 // 10))
                day = recent_workdays[min(elapsed, len(recent_workdays) - 1)]
            elif status in NOT_YET_ACCEPTED:
                day = recent_workdays[rng.randint(0, 5)]
            else:
                day = rng.choice(recent_workdays if status in recent else workdays)
            received_at = datetime.datetime.combine(
                day, datetime.time(8, 30), tzinfo=tz
            ) + datetime.timedelta(minutes=rng.randint(0, 480))
            serial = serial_of_day.get(day, 0) + 1
            serial_of_day[day] = serial
            accepted = status not in NOT_YET_ACCEPTED | {"not_accepted", "prereview_returned"}
            kind = route.kind if accepted or status == "not_accepted" else ""
            promised_days = 0 if kind == "immediate" else route.promised_days
            submitted = status == "submitted"
            row: dict[str, Any] = {
                "number": f"{code}{day:%Y%m%d}{serial:05d}",
                "center_id": hall.center.pk,
                "item_id": route.item_id,
                "department_id": route.department_id,
                "applicant_id": rng.choice(applicant_ids),
                "kind": kind,
                "status": status,
                "channel": "online" if submitted or rng.random() < 0.25 else "window",
                "authorization": route.authorization,
                "received_window_id": None if submitted else route.window_id,
                "window_id": None if submitted else route.window_id,
                "green_channel": rng.random() < 0.01,
                "received_at": received_at,
                "legal_days": route.legal_days,
                "promised_days": promised_days,
            }
            if accepted:
                row["accepted_at"] = received_at
                row["clock_started_on"] = day
                row["promised_due_on"] = calendar.add_workdays(day, promised_days)
                row["legal_due_on"] = calendar.add_workdays(day, route.legal_days)
                if status == "suspended":
                    row["suspended_from"] = "in_review"
                    row["suspended_at"] = received_at + datetime.timedelta(days=1)
                    row["suspension_reason"] = "现场核查"
                if status in FINISHED_ACCEPTED or status in DECIDED_OPEN:
                    decided = received_at + datetime.timedelta(days=max(promised_days, 1) * 7 // 5)
                    row["decided_at"] = decided
                    if status in FINISHED_ACCEPTED:
                        row["completed_at"] = decided
                    if status == "delivered":
                        row["delivery_method"] = "pickup"
                        row["delivered_at"] = decided
            elif status in {"not_accepted", "prereview_returned", "withdrawn", "voided"}:
                row["completed_at"] = received_at
                row["reason"] = "申请材料不齐全且无法当场补正"
            if status == "escalated":
                row["forward_by"] = calendar.add_workdays(day, 2)
            if status == "joint_review":
                joint.append((row["number"], route, day))
            rows.append(row)
        cases.insert(rows)
        ids = dict(
            Case.objects.filter(number__in=[r["number"] for r in rows]).values_list("number", "id")
        )
        # The departments involved in each case (issue 20): its own, and each joint one.
        departments.insert(
            [
                {"case_id": ids[r["number"]], "department_id": r["department_id"], "is_lead": True}
                for r in rows
            ]
            + [
                {"case_id": ids[number], "department_id": department_id, "is_lead": False}
                for number, route, _day in joint
                for department_id in route.joint_department_ids
                if department_id != route.department_id
            ]
        )
        if joint:
            JointTask.objects.bulk_create(
                [
                    JointTask(
                        case_id=ids[number],
                        department_id=department_id,
                        status="open" if rng.random() < 0.6 else "done",
                        due_on=calendar.add_workdays(day, max(route.promised_days - 1, 1)),
                    )
                    for number, route, day in joint
                    for department_id in route.joint_department_ids
                ]
            )
        made += size
        print(f"\r  seeding: {made:,} / {count:,} cases", end="", flush=True)
    print()
    return time.perf_counter() - started


# --- measurements -----------------------------------------------------------------------------


def intake_payloads(hall: Hall, count: int, first_serial: int) -> list[dict[str, Any]]:
    """`count` applications of the intake item, every material received, distinct applicants."""
    from govhall.cli.demo.people import person_name

    materials = [{"material_id": m.pk, "received": True} for m in hall.intake_item.materials.all()]
    return [
        {
            "item_id": hall.intake_item.pk,
            "window_id": hall.intake_window.pk,
            "applicant": {
                "kind": "person",
                "name": person_name(serial),
                "id_number": person_id(serial),
                "phone": phone(serial),
            },
            "materials": materials,
            "outcome": "promised",
        }
        for serial in range(first_serial, first_serial + count)
    ]


def measure_service(hall: Hall, payloads: list[dict[str, Any]]) -> float:
    """Seconds for `case_receive` of every payload (each its own transaction)."""
    from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_receive

    calls = [
        (
            ApplicantData(**payload["applicant"]),
            [MaterialCheck(**material) for material in payload["materials"]],
        )
        for payload in payloads
    ]
    started = time.perf_counter()
    for applicant, checks in calls:
        case_receive(
            actor=hall.clerk,
            item=hall.intake_item,
            window=hall.intake_window,
            applicant=applicant,
            materials=checks,
            outcome="promised",
        )
    return time.perf_counter() - started


def bare_urlconf(hall: Hall) -> str:
    """A URLconf with the app's URLs and one bare endpoint that inserts a case row and nothing
    else (no validation, no number counter, no applicant, no event, no notice, no SMS)."""
    from django.http import HttpRequest, JsonResponse
    from django.urls import include, path
    from django.utils import timezone
    from django.views.decorators.csrf import csrf_exempt

    from govhall.cases.models import Case

    applicant_id = Case.objects.values_list("applicant_id", flat=True).first()
    assert applicant_id is not None, "seed first"

    @csrf_exempt
    def bare(request: HttpRequest) -> JsonResponse:
        payload = json.loads(request.body)
        case = Case.objects.create(
            number=f"BARE{uuid.uuid4().hex[:24]}",
            center_id=hall.center.pk,
            item_id=payload["item_id"],
            department_id=hall.intake_item.department_id,
            applicant_id=applicant_id,
            status="voided",
            authorization="partial",
            window_id=payload["window_id"],
            received_at=timezone.now(),
            legal_days=hall.intake_item.legal_days,
            promised_days=hall.intake_item.promised_days,
        )
        return JsonResponse({"id": case.pk, "number": case.number}, status=201)

    module = types.ModuleType("bench_cases_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/bare/", bare),
        path("", include("govhall.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def measure_intake(
    hall: Hall,
    service_payloads: list[dict[str, Any]],
    http_payloads: list[dict[str, Any]],
    rounds: int = 20,
) -> tuple[float, float, float, int]:
    """Seconds for `case_receive` of every service payload, for POST /api/v1/cases/ of every
    HTTP payload with a bearer token, and for as many posts to the bare endpoint. The three run
    interleaved in `rounds` rounds, so that all of them see the same machine (its load may
    change during the run). Returns (service, api, bare seconds, API answers not 201)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches

    from govhall.core.tokens import api_token_create

    _token, key = api_token_create(actor=None, user=hall.clerk, name="bench")
    settings.ROOT_URLCONF = bare_urlconf(hall)
    clear_url_caches()
    client = Client(HTTP_HOST="localhost")
    auth = {"Authorization": f"Bearer {key}"}
    bodies = [json.dumps(payload) for payload in http_payloads]
    service_seconds = api_seconds = bare_seconds = 0.0
    refused = 0
    for index in range(rounds):
        service_seconds += measure_service(hall, service_payloads[index::rounds])
        batch = bodies[index::rounds]
        started = time.perf_counter()
        for body in batch:
            response = client.post(
                "/bench/bare/", body, content_type="application/json", headers=auth
            )
            assert response.status_code == 201, response.content
        bare_seconds += time.perf_counter() - started
        started = time.perf_counter()
        for body in batch:
            response = client.post(
                "/api/v1/cases/", body, content_type="application/json", headers=auth
            )
            if response.status_code != 201:
                refused += 1
                if refused == 1:
                    print(f"  API answered {response.status_code}: {response.content[:300]!r}")
        api_seconds += time.perf_counter() - started
    return service_seconds, api_seconds, bare_seconds, refused


def count_intake_queries(
    hall: Hall, service: dict[str, Any], http: dict[str, Any]
) -> tuple[int, int, int, int]:
    """Database queries of one intake through the service layer and of one through HTTP (POST
    /api/v1/cases/ with a bearer token), each with what runs when its transaction commits (the
    SMS to the outbox, the push notification): savepoints count, BEGIN and COMMIT do not."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from govhall.core.tokens import api_token_create

    with CaptureQueriesContext(connection) as service_queries:
        measure_service(hall, [service])
    _token, key = api_token_create(actor=None, user=hall.clerk, name="bench-count")
    client = Client(HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as http_queries:
        response = client.post(
            "/api/v1/cases/",
            json.dumps(http),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.status_code == 201, response.content
    statements = [query["sql"].strip().upper() for query in service_queries.captured_queries]
    # PostgreSQL logs BEGIN and COMMIT: split the intake's own transaction from what its
    # commit triggers (SQLite logs neither: everything counts as the transaction).
    commit = max((i for i, sql in enumerate(statements) if sql == "COMMIT"), default=None)
    inside = statements if commit is None else statements[:commit]
    in_transaction = sum(1 for sql in inside if sql != "BEGIN")
    after_commit = 0 if commit is None else len(statements) - commit - 1
    return len(service_queries), len(http_queries), in_transaction, after_commit


@dataclass
class ListTiming:
    label: str
    median_ms: float
    rows: int
    total: int


def measure_lists(hall: Hall, repeat: int) -> list[ListTiming]:
    """The near-due and overdue lists as the workbench and the API read them: the first page
    of 50 rows with their related columns, and the count, for a department and the center."""
    from django.utils import timezone

    from govhall.cases.queries.cases import CaseFilters, case_list, inbox
    from govhall.core.pagination import IdsFirst

    today = timezone.localdate()
    timings = []
    readers = (
        ("one department (SCJG approver)", hall.department_user),
        ("whole center (hall director)", hall.director),
    )
    for reader_label, user in readers:
        for due, due_label in (("near", "near-due"), ("overdue", "overdue")):
            filters = CaseFilters(due=due)
            box: dict[str, int] = {}

            def run(
                user: Any = user, filters: CaseFilters = filters, box: dict[str, int] = box
            ) -> None:
                cases = case_list(user, filters, today)
                page = IdsFirst(cases)  # as the list page and the API read it
                box["rows"] = len(page[:PAGE])
                box["total"] = cases.count()

            run()  # warm the calendar and the connection
            ms = median_ms(run, repeat)
            timings.append(
                ListTiming(f"{due_label} list, {reader_label}", ms, box["rows"], box["total"])
            )
    for reader_label, user in readers:
        box = {}

        def run_inbox(user: Any = user, box: dict[str, int] = box) -> None:
            sections = inbox(user, today)
            box["rows"] = sum(len(s.cases) + len(s.tasks) for s in sections)
            box["total"] = sum(s.total for s in sections)

        run_inbox()
        ms = median_ms(run_inbox, repeat)
        timings.append(
            ListTiming(f"whole inbox page, {reader_label}", ms, box["rows"], box["total"])
        )
    return timings


def print_intake(
    args: argparse.Namespace,
    service_seconds: float,
    api_seconds: float,
    bare_seconds: float,
    refused: int,
    queries: tuple[int, int, int, int],
) -> None:
    service_rate = args.service_calls / service_seconds
    api_rate = args.http_calls / api_seconds
    bare_rate = args.http_calls / bare_seconds
    print("intake (outcome promised: number, applicant, materials, events, acceptance")
    print("notice and SMS to the outbox, one transaction per case; the three interleaved):")
    each = service_seconds / args.service_calls * 1e3
    print(
        f"  service layer, case_receive:   {service_rate:8,.0f} cases/s "
        f"({args.service_calls:,} calls, {each:.1f} ms each)"
    )
    each = api_seconds / args.http_calls * 1e3
    print(
        f"  HTTP, POST /api/v1/cases/:     {api_rate:8,.0f} cases/s "
        f"({args.http_calls:,} calls, {each:.1f} ms each, bearer token)"
    )
    each = bare_seconds / args.http_calls * 1e3
    print(
        f"  HTTP, bare one-insert endpoint:{bare_rate:8,.0f} cases/s "
        f"({args.http_calls:,} calls, {each:.1f} ms each)"
    )
    print(f"  time per case, API / bare:     {api_seconds / bare_seconds:8.1f}×")
    print(f"  time per case, API / service:  {service_rate / api_rate:8.2f}×")
    total, http, in_transaction, after_commit = queries
    print(f"  queries per intake, service:   {total:8d}   (every statement, BEGIN/COMMIT included)")
    print(f"    in the intake's transaction: {in_transaction:8d}   (goal ≤ 15)")
    print(f"    after its commit:            {after_commit:8d}   (push, SMS outbox, online hall)")
    print(f"  queries per intake, HTTP:      {http:8d}")
    if refused:
        print(f"  API calls not answered 201:    {refused}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed")
    parser.add_argument("--service-calls", type=int, default=2_000, help="case_receive calls")
    parser.add_argument("--http-calls", type=int, default=1_000, help="HTTP posts per endpoint")
    parser.add_argument("--repeat", type=int, default=21, help="runs of each list query")
    parser.add_argument("--seed", type=int, default=20251001)
    parser.add_argument(
        "--lists-only", action="store_true", help="measure the lists only (e.g. on a kept seed)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govhall-bench-") as var_dir:
        vendor = setup_django(var_dir)
        from django.conf import settings
        from django.db import connection

        from govhall.cases.models import Case

        settings.DEBUG = False  # no query log; production-like request handling
        rng = random.Random(args.seed)
        hall = prepare_hall()
        existing = Case.objects.filter(center=hall.center).count()
        if existing >= args.cases:
            seed_seconds = 0.0
            print(f"reusing the {existing:,} cases already in the database")
        elif existing:
            sys.exit(
                f"the database holds {existing:,} cases, fewer than --cases {args.cases:,}: "
                "use an empty database"
            )
        else:
            seed_seconds = seed(hall, args.cases, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk seed
        seeded = Case.objects.count()

        refused = 0
        if not args.lists_only:
            run_serial = 10_000_000 + int(time.time()) % 200 * 20_000  # new applicants each run
            service_payloads = intake_payloads(hall, args.service_calls, run_serial)
            http_payloads = intake_payloads(hall, args.http_calls, run_serial + args.service_calls)
            # Warm-up: first calls fill caches (calendar, URL resolver, permissions).
            warm = intake_payloads(hall, 20, run_serial + 19_000)
            measure_intake(hall, warm[:10], warm[10:], rounds=1)
            service_seconds, api_seconds, bare_seconds, refused = measure_intake(
                hall, service_payloads, http_payloads
            )
            fresh = intake_payloads(hall, 2, run_serial + 19_100)  # new applicants
            queries = count_intake_queries(hall, fresh[0], fresh[1])
        timings = measure_lists(hall, args.repeat)

        print()
        print("govhall case benchmark")
        print(
            f"{vendor}, python {sys.version.split()[0]}, {seeded:,} cases in the database "
            f"(seeded in {seed_seconds:.0f} s, not measured), seed {args.seed}"
        )
        print()
        if not args.lists_only:
            print_intake(args, service_seconds, api_seconds, bare_seconds, refused, queries)
        print(f"lists (first page of {PAGE} + count, median of {args.repeat} runs):")
        for timing in timings:
            print(
                f"  {timing.label + ':':<52} {timing.median_ms:8.1f} ms "
                f"({timing.rows} rows of {timing.total:,})"
            )
        if refused:
            sys.exit(1)


if __name__ == "__main__":
    main()
