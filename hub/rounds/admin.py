"""The admin: users and roles (Django's), rounds, and read-only views of the audit log and the
collection store's tables."""

from django.contrib import admin

from hub.rounds.models import AuditEvent, Membership, Participant, PublishedFile, Rejection, Round
from hub.rounds.store_tables import StoreAuthority, StoreProblem, StoreSubmission


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("period", "title", "deadline", "opened_at", "published_at")
    inlines = [ParticipantInline]
    readonly_fields = ("published_at", "published_by")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "authority")
    search_fields = ("user__username", "authority")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "username", "action", "round", "authority", "version", "file_name",
                    "sha256")
    list_filter = ("action",)
    search_fields = ("username", "authority", "file_name", "sha256")


admin.site.register(Rejection, ReadOnly)
admin.site.register(PublishedFile, ReadOnly)


@admin.register(StoreAuthority)
class StoreAuthorityAdmin(ReadOnly):
    list_display = ("code", "name", "region", "neighbours")


@admin.register(StoreSubmission)
class StoreSubmissionAdmin(ReadOnly):
    list_display = ("authority", "period", "version", "collected_at", "n_errors", "n_warnings",
                    "quarantine")
    list_filter = ("period",)


@admin.register(StoreProblem)
class StoreProblemAdmin(ReadOnly):
    list_display = ("file", "sheet", "cell", "indicator_id", "code", "severity", "message")
    list_filter = ("severity", "code")
