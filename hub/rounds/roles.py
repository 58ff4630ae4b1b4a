"""The three roles, as Django groups carrying the app's permissions.

- Hub lead (the collating authority): opens rounds, judges quarantined returns, publishes.
- Authority submitter: uploads its own authority's returns (hub.rounds.models.Membership says
  which authority) and, after publication, downloads its benchmark and scorecard.
- Viewer (e.g. an ADCS member): published outputs only.
"""

from __future__ import annotations

LEAD, SUBMITTER, VIEWER = "Hub leads", "Authority submitters", "Viewers"
GROUP_PERMISSIONS = {
    LEAD: ("lead_round", "view_published"),
    SUBMITTER: ("submit_return",),
    VIEWER: ("view_published",),
}


def ensure_roles(**kwargs) -> None:
    """Create the groups with their permissions (after migrate; idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(apps.get_app_config("rounds"), verbosity=0)
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="rounds",
                                                        codename__in=codenames))


def make_user(username: str, password: str, role: str, authority: str = "", **fields):
    """A user in one role (a submitter needs its authority code); existing users are updated."""
    from django.contrib.auth.models import Group, User

    from hub.rounds.models import Membership

    if role == SUBMITTER and not authority:
        raise ValueError("a submitter needs the code of the authority it submits for")
    user, _ = User.objects.get_or_create(username=username, defaults=fields)
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    if authority:
        Membership.objects.update_or_create(user=user, defaults={"authority": authority})
    return user
