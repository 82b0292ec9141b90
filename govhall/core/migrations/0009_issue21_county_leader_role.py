"""Data: the auth group of the 分管县领导 role (issue 21 item 1), like 0002_role_groups."""

from django.db import migrations

ROLE_NAMES = ["county_leader"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_issue19_agent_role")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
