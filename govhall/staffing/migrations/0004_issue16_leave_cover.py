# Issue 16 item 2: the cover named when a leave is approved (Delegation reason "named").
# Written by hand with only this change (other issue 16 changes of the app are in flight).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0003_issue16_returns"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delegation",
            name="delegation_reason_valid",
        ),
        migrations.AlterField(
            model_name="delegation",
            name="reason",
            field=models.CharField(
                choices=[
                    ("leave", "A staff on leave"),
                    ("absence", "A staff temporarily absent"),
                    ("both_away", "A and B staff both away"),
                    ("named", "Cover named when the leave was approved"),
                ],
                max_length=16,
                verbose_name="reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="delegation",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason__in", ["leave", "absence", "both_away", "named"])),
                name="delegation_reason_valid",
            ),
        ),
    ]
