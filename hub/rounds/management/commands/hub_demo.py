"""`python -m hub hub_demo`: demo data for a laptop (`make hub`).

The example region of `scorecard demo` (Northshire, Southshire, Eastshire, Westshire): a
published round for 2023-24 Q4 with every return in, and an open round for 2024-25 Q1 where
Northshire has returned, Southshire has returned with warnings, Eastshire with errors, and
Westshire not yet. Returns are collected through generator.collection exactly as the CLI does.
Users (password HUB_DEMO_PASSWORD, default 'scorecard-demo'): lead, one submitter per authority
(northshire ... westshire) and viewer. Run again, it changes nothing.
"""

import datetime as dt
import os

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.utils import timezone

from generator import demo
from generator.collection.collect import collect
from generator.collection.quality import check_returns
from generator.collection.templates import fill_template, select_indicators, template_filename
from hub.rounds import roles, services
from hub.rounds.models import Participant, Round
from hub.rounds.store import open_store


class Command(BaseCommand):
    help = "Demo region, users and two rounds (one published) for trying the hub."

    def handle(self, *args, **options):
        password = os.environ.get("HUB_DEMO_PASSWORD", "scorecard-demo")
        store = open_store()
        store.add_authorities(demo.COLLECTION_AUTHORITIES)
        lead = roles.make_user("lead", password, roles.LEAD, is_staff=True, is_superuser=True)
        if not lead.is_staff:
            User.objects.filter(pk=lead.pk).update(is_staff=True, is_superuser=True)
        for authority in demo.COLLECTION_AUTHORITIES:
            roles.make_user(authority.name.lower(), password, roles.SUBMITTER, authority.code)
        roles.make_user("viewer", password, roles.VIEWER)
        cat = services.catalogue()
        title, indicators = select_indicators(cat, dataset=demo.COLLECTION_DATASET)
        returning = [a for a in demo.COLLECTION_AUTHORITIES
                     if a.code != demo.COLLECTION_NOT_RETURNING]
        for period in demo.COLLECTION_PERIODS:
            if Round.objects.filter(period=period).exists():
                continue
            last = period == demo.COLLECTION_PERIODS[-1]
            the_round = Round.objects.create(
                period=period, title=title, indicator_ids=[i.id for i in indicators],
                deadline=timezone.localdate() + dt.timedelta(days=14) if last
                else dt.date(2024, 4, 30),
                contact="data@example-region.gov.uk", opened_by=lead)
            Participant.objects.bulk_create(Participant(round=the_round, authority=a.code)
                                            for a in demo.COLLECTION_AUTHORITIES)
            who = returning if last else demo.COLLECTION_AUTHORITIES
            kept = []  # filled where the hub keeps uploads: 'download the file as received' works
            for authority in who:
                blank = services.blank_template(the_round, authority.code)
                filled = services.returns_folder(period, authority.code) / template_filename(
                    authority, period)
                kept.append(fill_template(blank, filled, demo.example_entries(
                    indicators, authority, period)))
            collect(kept, store, cat, expected_period=period,
                    authorities=demo.COLLECTION_AUTHORITIES)
            store.add_comparators(r for r in demo.example_comparators(indicators) if r[0] == period)
            # data-quality queries, as each upload through the hub raises them (the region read once)
            check_returns(store, cat, [(authority.code, period) for authority in who])
            if not last:
                services.publish(the_round, lead)
            self.stdout.write(f"round {period}: {len(who)} returns collected"
                              + ("" if last else ", published"))
        self.stdout.write(f"users: lead, {', '.join(a.name.lower() for a in demo.COLLECTION_AUTHORITIES)}"
                          f", viewer; password {password!r}")

