"""The rules of citizens' voice (issue 15; SPEC §9 "a complaint found true"): a bad rating not
followed up in time, a complaint found true (2 points, as a conduct failure of seeds/000… 篇1 七),
complaints, petitions, 12345 work orders and suggestion-box entries not handled in time, and a
collective or major petition, which tells the leaders at once and costs nobody points."""

from decimal import Decimal

from django.db import migrations, models

# code, subject, level, points, violation, head, dept leader, director
DEFAULTS = [
    ("rating_overdue.yellow", "rating_overdue", "yellow", "1", False, True, True, False),
    ("complaint_verified.red", "complaint_verified", "red", "2", True, True, True, True),
    ("complaint_overdue.yellow", "complaint_overdue", "yellow", "1", False, True, True, True),
    ("petition_overdue.yellow", "petition_overdue", "yellow", "1", False, False, True, True),
    ("petition_major.serious", "petition_major", "serious", "0", False, False, True, True),
    ("work_order_overdue.yellow", "work_order_overdue", "yellow", "1", False, True, True, False),
    (
        "suggestion_overdue.reminder",
        "suggestion_overdue",
        "reminder",
        "0",
        False,
        False,
        False,
        True,
    ),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    for code, subject, level, points, violation, head, leader, director in DEFAULTS:
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
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertRule = apps.get_model("supervision", "AlertRule")
    AlertRule.objects.filter(code__in=[d[0] for d in DEFAULTS], alerts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_alert_scan_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alertrule",
            name="subject",
            field=models.CharField(
                choices=[
                    ("case_deadline", "Promised deadline of a case"),
                    ("case_step", "A step of a case over its time limit"),
                    ("case_second_notice", "A second one-time notice"),
                    ("case_override", "An outcome or rule overridden"),
                    ("case_no_reason", "A return or denial without a reason"),
                    ("case_fee", "A fee above the approved standard"),
                    ("case_main_material", "Accepted without a main material"),
                    ("post_empty", "An empty post"),
                    ("late_sign_in", "Late sign-in"),
                    ("early_leave", "Early leave"),
                    ("absent", "Absent without approval"),
                    ("inquiry_overdue", "A first-inquiry follow-up overdue"),
                    ("off_hours_overdue", "An off-hours request unanswered"),
                    ("patrol_missing", "A patrol round not done"),
                    ("patrol_finding", "A patrol finding"),
                    ("rating_overdue", "A bad rating not followed up in time"),
                    ("complaint_verified", "A complaint found true"),
                    ("complaint_overdue", "A complaint not answered in time"),
                    ("petition_overdue", "A petition not handled in time"),
                    ("petition_major", "A collective or major petition"),
                    ("work_order_overdue", "A 12345 work order not handled in time"),
                    ("suggestion_overdue", "A suggestion or message not replied to"),
                ],
                max_length=32,
                verbose_name="watches",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
