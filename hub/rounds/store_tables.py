"""Read-only Django models over the collection store's tables, for the admin only.

Unmanaged: the store (generator.collection.store) creates and writes these tables; Django never
migrates or writes them. Pages read returns through the Store, not through these.
"""

from django.db import models


class StoreAuthority(models.Model):
    code = models.TextField(primary_key=True)
    name = models.TextField()
    region = models.TextField()
    neighbours = models.TextField(help_text="';'-separated statistical neighbours")

    class Meta:
        managed = False
        db_table = "authorities"
        verbose_name_plural = "store: authorities"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class StoreSubmission(models.Model):
    id = models.IntegerField(primary_key=True)
    authority = models.TextField()
    period = models.TextField()
    version = models.IntegerField()
    file = models.TextField()
    file_sha256 = models.TextField()
    collected_at = models.TextField()
    dataset = models.TextField(null=True)
    n_errors = models.IntegerField()
    n_warnings = models.IntegerField()
    quarantine = models.TextField()

    class Meta:
        managed = False
        db_table = "submissions"
        verbose_name = "store: submission"
        ordering = ["authority", "period", "version"]


class StoreProblem(models.Model):
    id = models.IntegerField(primary_key=True)
    submission_id = models.IntegerField(null=True)
    file = models.TextField()
    sheet = models.TextField()
    cell = models.TextField()
    indicator_id = models.TextField()
    field = models.TextField()
    code = models.TextField()
    severity = models.TextField()
    message = models.TextField()

    class Meta:
        managed = False
        db_table = "problems"
        verbose_name = "store: problem"
        ordering = ["id"]
