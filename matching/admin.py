from django.contrib import admin

from matching.models import Match, MatchNotice, MatchPreference


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("demand", "listing", "score", "computed_at")
    raw_id_fields = ("demand", "listing")
    ordering = ("-computed_at",)


@admin.register(MatchNotice)
class MatchNoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "demand", "listing", "frequency", "created_at", "mailed_at")
    raw_id_fields = ("user", "demand", "listing")


@admin.register(MatchPreference)
class MatchPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency")
    raw_id_fields = ("user",)
