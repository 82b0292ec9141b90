"""The default case-deadline rules of SPEC §9: a reminder 1 working day before the promised
deadline, a yellow card at 80% of the promised working days used, a red card when overdue."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    {
        "code": "case_deadline.reminder",
        "level": "reminder",
        "threshold_days": 1,
        "points": Decimal("0"),
        "counts_as_violation": False,
        "notify_window_head": False,
        "notify_department_leader": False,
        "notify_director": False,
    },
    {
        "code": "case_deadline.yellow",
        "level": "yellow",
        "threshold_percent": 80,
        "points": Decimal("1"),
        "counts_as_violation": False,
        "notify_window_head": True,
        "notify_department_leader": False,
        "notify_director": False,
    },
    {
        "code": "case_deadline.red",
        "level": "red",
        "points": Decimal("2"),
        "counts_as_violation": True,
        "notify_window_head": True,
        "notify_department_leader": True,
        "notify_director": True,
    },
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    for values in DEFAULTS:
        code = values["code"]
        fields = {k: v for k, v in values.items() if k != "code"}
        AlertRule.objects.get_or_create(
            code=code, defaults={"subject": "case_deadline", "notify_responsible": True, **fields}
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    AlertRule.objects.filter(code__in=[d["code"] for d in DEFAULTS], alerts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
