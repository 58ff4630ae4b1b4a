from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RoundsConfig(AppConfig):
    name = "hub.rounds"
    label = "rounds"
    verbose_name = "Collection rounds"

    def ready(self) -> None:
        from hub.rounds.roles import ensure_roles
        from hub.rounds.store import ensure_store_schema

        post_migrate.connect(ensure_roles, sender=self)
        post_migrate.connect(ensure_store_schema, sender=self)
