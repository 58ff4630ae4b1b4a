"""`python -m hub hub_publish PERIOD --by USERNAME`: publish a round outside a web request.

The same as the lead's Publish button (hub.rounds.services.publish, audited as the lead), for
regions large enough that writing every authority's workbooks outlasts a proxy's timeout.
"""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from hub.rounds import access, audit
from hub.rounds.models import Round
from hub.rounds.services import publish
from scorecard.errors import ScorecardError


class Command(BaseCommand):
    help = "Publish a round (its benchmark and every authority's workbooks)."

    def add_arguments(self, parser):
        parser.add_argument("period")
        parser.add_argument("--by", required=True, help="the hub lead publishing it")

    def handle(self, *args, **options):
        try:
            the_round = Round.objects.get(period=options["period"])
            lead = User.objects.get(username=options["by"])
        except (Round.DoesNotExist, User.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        if not access.is_lead(lead):
            raise CommandError(f"{lead} is not a hub lead")
        try:
            made = publish(the_round, lead)
        except ScorecardError as error:
            raise CommandError(str(error)) from None
        audit.published(lead, the_round, made, how=" (hub_publish command)")
        self.stdout.write(f"{the_round.period} published: {len(made)} workbooks")
