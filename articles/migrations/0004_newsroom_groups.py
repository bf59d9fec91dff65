"""
The newsroom's groups. Their permissions are not listed here: they are set,
and kept in step with the code, by ``articles.workflow.sync_roles`` after every
``migrate`` (permissions themselves only exist once migrate has finished).
The Moderator group belongs to the comments app.
"""

from django.db import migrations

GROUPS = ["Reporter", "Editor"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Not reversed: the groups may have members by then.
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
