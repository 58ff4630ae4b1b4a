"""`python -m hub COMMAND`: Django's manage.py for the hub (runserver, migrate, hub_demo ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"{sys.executable} -m hub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
