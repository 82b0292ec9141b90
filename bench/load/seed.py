"""Seed a large hall for the load test (issue 20 item 6) and write what the load needs to JSON.

    DATABASE_URL=postgres://… .venv/bin/python bench/load/seed.py --out /tmp/load-hall.json

It migrates the database, loads the demo hall (示例县政务服务中心, 23 windows, 81 items) when it is
not there, and grows the county center to `--windows` (200) windows: each new window copies the
items (and departments) of a demo window in turn and also serves 食品经营许可 as window 3 does,
so that every clerk can receive cases at their own window. Each window gets a clerk of its own
(A staff of its post, signed in today) with an API token; the service groups are built from the
windows' items (one per department, `groups_build`), so every window calls from its
department's group and from 市场监管's. It receives one case per window (for progress
inquiries) and writes the tokens, windows, groups and those cases to `--out`.

A second run on the same database keeps the hall, signs the clerks in again for today (the hall's
local day may have changed) and rewrites the file with new tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

INTAKE_ITEM = "食品经营许可"
TOKEN_NAME = "load-test"


def setup_django() -> None:
    warnings.filterwarnings("ignore", "No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("GOVHALL_TASK_MODE", "eager")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def person_id(serial: int) -> str:
    import datetime

    from govhall.core.idnumbers import id_check_character

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20_000)
    first17 = f"330100{birth:%Y%m%d}{serial // 20_000 % 1000:03d}"
    return first17 + id_check_character(first17)


def applicant(serial: int) -> dict[str, str]:
    from govhall.cli.demo.people import person_name

    return {
        "kind": "person",
        "name": person_name(serial),
        "id_number": person_id(serial),
        "phone": f"13{serial % 1_000_000_000:09d}",
    }


def grow_hall(center: Any, windows: int) -> None:
    """Add windows (each with a clerk at its post) until the center has `windows`."""
    from django.db import transaction

    from govhall.catalog.models import ItemWindow
    from govhall.catalog.services.item_windows import item_window_set
    from govhall.core.roles import Role
    from govhall.org.models import Post, Window
    from govhall.testing.factories import make_staff

    demo = list(Window.objects.filter(center=center).order_by("number"))
    intake = ItemWindow.objects.select_related("item").get(
        item__center=center, item__name=INTAKE_ITEM, window__number=3
    )
    have = len(demo)
    with transaction.atomic():
        for number in range(have + 1, windows + 1):
            template = demo[(number - 1) % len(demo)]
            window = Window.objects.create(
                center=center, number=number, name=f"综合受理窗口{number}"
            )
            window.departments.set({*template.departments.all(), intake.item.department})
            department = template.departments.first()
            clerk = make_staff(
                Role.CLERK,
                center,
                department,
                username=f"load-w{number:03d}",
                window_staff=True,
            )
            Post.objects.create(window=window, name="受理岗", a_staff=clerk)
            for link in ItemWindow.objects.filter(window=template).select_related("item"):
                item_window_set(
                    actor=None, item=link.item, window=window, authorization=link.authorization
                )
            item_window_set(
                actor=None, item=intake.item, window=window, authorization=intake.authorization
            )


def desks(center: Any) -> list[dict[str, Any]]:
    """Every window with its A clerk, signed in today, and a fresh API token per clerk."""
    from govhall.catalog.models import ItemWindow
    from govhall.catalog.services.item_windows import item_window_set
    from govhall.core.models import ApiToken
    from govhall.core.tokens import api_token_create
    from govhall.org.models import Post
    from govhall.testing.sign_in import signed_in

    posts = (
        Post.objects.filter(window__center=center, a_staff__isnull=False)
        .select_related("window", "a_staff")
        .order_by("window__number", "pk")
    )
    seen: set[int] = set()
    rows: list[dict[str, Any]] = []
    clerks = []
    for post in posts:
        if post.window_id in seen:
            continue
        seen.add(post.window_id)
        clerk = post.a_staff
        assert clerk is not None
        if not ItemWindow.objects.filter(window=post.window, item__name=INTAKE_ITEM).exists():
            intake = ItemWindow.objects.get(
                item__center=center, item__name=INTAKE_ITEM, window__number=3
            )
            post.window.departments.add(intake.item.department)
            item_window_set(
                actor=None,
                item=intake.item,
                window=post.window,
                authorization=intake.authorization,
            )
        clerks.append(clerk)
        rows.append(
            {"window_id": post.window_id, "number": post.window.number, "username": clerk.username}
        )
    signed_in(*clerks)
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    for row, clerk in zip(rows, clerks, strict=True):
        _token, key = api_token_create(actor=None, user=clerk, name=TOKEN_NAME)
        row["token"] = key
    return rows


def sample_cases(hall: dict[str, Any], item: Any) -> list[dict[str, str]]:
    """One case per window for progress inquiries (received once; reused by later runs)."""
    from govhall.cases.models import Case
    from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_receive
    from govhall.core.models import User
    from govhall.org.models import Window

    found = list(
        Case.objects.filter(idempotency_key__startswith="load-seed-").values_list(
            "number", "applicant__phone"
        )
    )
    if not found:
        checks = [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]
        for serial, desk in enumerate(hall["desks"], start=1):
            case = case_receive(
                actor=User.objects.get(username=desk["username"]),
                item=item,
                window=Window.objects.get(pk=desk["window_id"]),
                applicant=ApplicantData(**applicant(900_000_000 + serial)),
                materials=checks,
                outcome="promised",
                idempotency_key=f"load-seed-{serial}",
            )
            found.append((case.number, case.applicant.phone))
    return [{"number": number, "last4": phone[-4:]} for number, phone in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--out", default="/tmp/load-hall.json")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Give the stack's database as DATABASE_URL (the load test runs on PostgreSQL).")
    setup_django()
    from govhall.catalog.models import ItemWindow
    from govhall.cli.demo.departments import COUNTY_CODE
    from govhall.cli.demo.loader import load_demo
    from govhall.core.models import User
    from govhall.frontdesk.models import ServiceGroup
    from govhall.frontdesk.services.groups import groups_build
    from govhall.org.models import Center, Window

    load_demo()
    center = Center.objects.get(code=COUNTY_CODE)
    if Window.objects.filter(center=center).count() < args.windows:
        grow_hall(center, args.windows)
    hall: dict[str, Any] = {"center_id": center.pk, "center_code": center.code}
    hall["desks"] = desks(center)
    groups_build(actor=User.objects.get(username="director"), center=center)
    hall["groups"] = list(
        ServiceGroup.objects.filter(center=center, is_active=True)
        .order_by("letter")
        .values_list("pk", flat=True)
    )
    intake = ItemWindow.objects.select_related("item").get(
        item__center=center, item__name=INTAKE_ITEM, window__number=3
    )
    hall["item_id"] = intake.item_id
    hall["materials"] = list(intake.item.materials.values_list("pk", flat=True))
    hall["cases"] = sample_cases(hall, intake.item)
    Path(args.out).write_text(json.dumps(hall, ensure_ascii=False, indent=1))
    print(
        f"hall {center.name}: {len(hall['desks'])} windows with a signed-in clerk and a token, "
        f"{len(hall['groups'])} groups, {len(hall['cases'])} cases to inquire → {args.out}"
    )


if __name__ == "__main__":
    main()
