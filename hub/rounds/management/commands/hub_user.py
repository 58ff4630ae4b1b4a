"""`python -m hub hub_user NAME --role lead|submitter|viewer [--authority CODE]`: add or update a
user in one role; the password is asked for (or read from HUB_USER_PASSWORD)."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError

from hub.rounds import roles

ROLES = {"lead": roles.LEAD, "submitter": roles.SUBMITTER, "viewer": roles.VIEWER}


class Command(BaseCommand):
    help = "Add or update a hub user in one role (lead, submitter, viewer)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--authority", default="", help="a submitter's authority code")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        password = os.environ.get("HUB_USER_PASSWORD") or getpass.getpass("Password: ")
        try:
            validate_password(password)
            user = roles.make_user(options["username"], password, ROLES[options["role"]],
                                   options["authority"], email=options["email"])
        except Exception as error:  # noqa: BLE001 - shown to the operator as it is
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user.username}: {options['role']}")
