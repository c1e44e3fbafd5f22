from django.contrib import admin

from .models import IdeaFollow, IdeaUpdate, MemberFollow


@admin.register(IdeaUpdate)
class IdeaUpdateAdmin(admin.ModelAdmin):
    list_display = ("idea", "author", "created_at")
    raw_id_fields = ("idea", "author")
    readonly_fields = ("body_html",)


@admin.register(IdeaFollow)
class IdeaFollowAdmin(admin.ModelAdmin):
    list_display = ("idea", "member", "created_at")
    raw_id_fields = ("idea", "member")


@admin.register(MemberFollow)
class MemberFollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followed", "created_at")
    raw_id_fields = ("follower", "followed")
