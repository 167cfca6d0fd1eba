from django.contrib import admin

from .models import Campaign, Pairing, Team, TeamMember, Topic


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ("user", "person")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "start", "end", "state", "district")
    list_filter = ("state",)
    filter_horizontal = ("units", "areas")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "leader")
    raw_id_fields = ("leader",)


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ("party_org", "target", "park_building", "place")
    list_filter = ("target",)
    raw_id_fields = ("party_org", "park_building", "place")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "unit", "active")
    inlines = (TeamMemberInline,)
    raw_id_fields = ("unit",)
