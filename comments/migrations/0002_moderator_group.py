"""
The Moderator group: comments, moderation words and confirmed addresses,
nothing else. After every migrate, newsroom.roles sets its permissions again
from comments.roles.ROLES.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderator"
PERMISSIONS = {
    "comment": ["view", "change", "delete"],
    "moderationword": ["view", "add", "change", "delete"],
    "emailconfirmation": ["view", "delete"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # this app's now, so that the group can be given them on a fresh database.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
