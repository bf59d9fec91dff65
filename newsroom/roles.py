"""
The newsroom's groups and their permissions, gathered from the apps that
define them: editorial roles in ``articles.workflow``, moderation in
``comments.roles``.
"""

from django.db.models import Q


def all_roles() -> dict[str, list[str]]:
    from articles.workflow import ROLES as EDITORIAL
    from comments.roles import ROLES as MODERATION

    return {**EDITORIAL, **MODERATION}


def sync_roles(using="default", **kwargs) -> None:
    """
    Give each group exactly its permissions, creating it if needed. Connected
    to ``post_migrate`` (see NewsroomConfig.ready()), so a changed list reaches
    the database with the next ``migrate`` (and a test flush); permissions
    added to these groups by hand in the admin are removed then.
    """
    from django.contrib.auth.models import Group, Permission

    for name, labels in all_roles().items():
        wanted = Q(pk__in=[])
        for label in labels:
            app_label, codename = label.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(Permission.objects.using(using).filter(wanted))
