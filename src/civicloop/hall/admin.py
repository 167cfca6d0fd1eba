"""The hall in the admin: the vote rules are data a district edits (quorum and majority); everything else is read
only — topics, votes, ballots and conventions change through the services alone (each writes its audit row)."""

from django.contrib import admin

from civicloop.core.admin import ReadOnlyAdmin

from .models import Convention, ConventionVersion, HallMeeting, Topic, Vote, VoteOutcome, VoteRule


@admin.register(VoteRule)
class VoteRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "quorum_num", "quorum_den", "approve_num", "approve_den", "approve_base",
                    "approve_strict", "active")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "state", "opened_at")
    list_filter = ("state",)


@admin.register(HallMeeting)
class HallMeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "date", "state")


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("question", "community", "state", "eligible", "yes", "no", "abstain", "passed")
    list_filter = ("state",)


@admin.register(VoteOutcome)
class VoteOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("vote", "kind", "case", "task_id", "convention_version")


@admin.register(Convention)
class ConventionAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "place")


@admin.register(ConventionVersion)
class ConventionVersionAdmin(ReadOnlyAdmin):
    list_display = ("convention", "number", "effective_from", "vote")
