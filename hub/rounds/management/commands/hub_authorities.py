"""`python -m hub hub_authorities authorities.csv`: load the region's authorities into the store
(the same CSV as `scorecard template --authorities`: code, name, region, neighbours)."""

from django.core.management.base import BaseCommand

from generator.collection.store import load_authorities
from hub.rounds.store import open_store


class Command(BaseCommand):
    help = "Load authorities (code, name, region, neighbours) into the store."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="authorities CSV")

    def handle(self, *args, **options):
        found = load_authorities(options["csv"])
        open_store().add_authorities(found)
        self.stdout.write(f"{len(found)} authorities loaded")
