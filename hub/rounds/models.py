"""The hub's own tables: rounds, who takes part, who belongs to which authority, the lead's
decisions, published files and the audit log.

Returns themselves are never here: they are in the collection store's tables (submissions,
cells, problems ...) in the same database, written and read through generator.collection.Store,
so the CLI and the hub share them. `hub.rounds.store_tables` maps those tables read-only for the
admin. An authority is identified by its code in the store's `authorities` table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Round(models.Model):
    """A collection round: one period, the indicators asked for, who takes part, a deadline."""

    period = models.CharField(max_length=40, unique=True,
                              help_text="canonical period label, e.g. 2024-25 Q1")
    title = models.CharField(max_length=300, help_text="the dataset title written on templates")
    indicator_ids = models.JSONField(default=list)
    deadline = models.DateField()
    contact = models.CharField(max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        permissions = [
            ("lead_round", "Open collection rounds, judge quarantined returns and publish"),
            ("submit_return", "Upload returns for one's own authority"),
            ("view_published", "See published outputs"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.title}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def is_late(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline

    def codes(self) -> list[str]:
        return list(self.participants.values_list("authority", flat=True))


class Participant(models.Model):
    """An authority (store `authorities.code`) taking part in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    authority = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "authority"],
                                               name="one_participation")]
        ordering = ["authority"]

    def __str__(self) -> str:
        return f"{self.authority} in {self.round.period}"


class Membership(models.Model):
    """The authority a submitter uploads for (one or more submitters per authority)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    authority = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.user} submits for {self.authority}"


class Rejection(models.Model):
    """The lead's refusal of a quarantined version, with the reason the authority is shown."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="rejections")
    authority = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "authority", "version"],
                                               name="one_rejection_per_version")]


class PublishedFile(models.Model):
    """A workbook written when a round was published: the regional benchmark (authority '')
    or an authority's own highlighted benchmark or scorecard. Fixed once written."""

    BENCHMARK, SCORECARD = "benchmark", "scorecard"
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="published_files")
    kind = models.CharField(max_length=20, choices=[(BENCHMARK, "benchmark"),
                                                    (SCORECARD, "scorecard")])
    authority = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500, help_text="relative to HUB_DATA_DIR")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "kind", "authority"],
                                               name="one_file_per_kind")]


class AuditEvent(models.Model):
    """Who did what, when, to which file (SHA-256). Written by hub.rounds.audit; never edited."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=40, db_index=True)
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    authority = models.CharField(max_length=40, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.file_name}"


from hub.rounds.store_tables import StoreAuthority, StoreProblem, StoreSubmission  # noqa: E402,F401  (admin)
