from django.contrib import admin

from .models import Vote, VoteEvent


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["idea", "member", "created_at"]
    list_select_related = ["idea", "member"]
    search_fields = ["idea__title", "member__username"]

    def has_add_permission(self, request):
        return False  # votes go through vote_cast, which keeps the count exact

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VoteEvent)
class VoteEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "idea", "member", "action", "network"]
    list_filter = ["action"]
    list_select_related = ["idea", "member"]
    search_fields = ["idea__title", "member__username", "network"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
