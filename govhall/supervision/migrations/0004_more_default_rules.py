"""The other default rules of SPEC §9 and the issue on supervision: one rule per subject, points
from seeds/000… 篇1 七 (2 points for a post, attendance, AB-post, delay or conduct failure;
5 for an unfinished task), all editable within the bounds of `services/rules.py`."""

from decimal import Decimal

from django.db import migrations

# code, subject, level, points, violation, head, dept leader, director, extra thresholds
DEFAULTS = [
    ("case_step.yellow", "case_step", "yellow", "1", False, True, False, False, {}),
    ("case_second_notice.yellow", "case_second_notice", "yellow", "2", True, True, True, False, {}),
    ("case_override.reminder", "case_override", "reminder", "0", False, True, False, True, {}),
    ("case_no_reason.red", "case_no_reason", "red", "2", True, True, True, True, {}),
    ("case_fee.serious", "case_fee", "serious", "5", True, True, True, True, {}),
    ("case_main_material.red", "case_main_material", "red", "2", True, True, True, True, {}),
    ("post_empty.red", "post_empty", "red", "2", True, True, True, True, {"threshold_minutes": 10}),
    (
        "late_sign_in.yellow",
        "late_sign_in",
        "yellow",
        "2",
        True,
        True,
        False,
        False,
        {"threshold_minutes": 0},
    ),
    (
        "early_leave.yellow",
        "early_leave",
        "yellow",
        "2",
        True,
        True,
        False,
        False,
        {"threshold_minutes": 0},
    ),
    ("absent.red", "absent", "red", "2", True, True, True, True, {}),
    (
        "inquiry_overdue.yellow",
        "inquiry_overdue",
        "yellow",
        "1",
        False,
        True,
        False,
        False,
        {"threshold_days": 1},
    ),
    (
        "off_hours_overdue.yellow",
        "off_hours_overdue",
        "yellow",
        "1",
        False,
        True,
        False,
        True,
        {"threshold_days": 1},
    ),
    ("patrol_missing.yellow", "patrol_missing", "yellow", "0", False, False, False, True, {}),
    ("patrol_finding.yellow", "patrol_finding", "yellow", "2", True, True, True, False, {}),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    for code, subject, level, points, violation, head, leader, director, extra in DEFAULTS:
        AlertRule.objects.get_or_create(
            code=code,
            defaults={
                "subject": subject,
                "level": level,
                "points": Decimal(points),
                "counts_as_violation": violation,
                "notify_responsible": True,
                "notify_window_head": head,
                "notify_department_leader": leader,
                "notify_director": director,
                **extra,
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    AlertRule.objects.filter(code__in=[d[0] for d in DEFAULTS], alerts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_alerts_generalised_patrols")]

    operations = [migrations.RunPython(seed, unseed)]
