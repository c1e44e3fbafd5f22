"""Staff views of ideas and discussions. Status changes stay with the services: the admin shows
the audit trail read-only and offers moderation (hide with a written reason) as actions."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from core.errors import ApplicationError

from . import services
from .models import Category, Comment, Flag, Idea, IdeaTransition, ModerationEvent, Tag


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


def _with_reason(description: str, apply):
    """An admin action that asks for a reason on an intermediate page, then calls ``apply``."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = failed = 0
            for obj in queryset:
                try:
                    apply(obj, request.user, form.cleaned_data["reason"])
                    done += 1
                except ApplicationError as exc:
                    failed += 1
                    modeladmin.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
            modeladmin.message_user(request, f"{description}: {done} done, {failed} refused.")
            return None
        return TemplateResponse(
            request,
            "ideas/admin_reason.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "form": form,
                "objects": queryset,
                "action": request.POST.get("action"),
                "opts": modeladmin.model._meta,
            },
        )

    action.short_description = description
    action.__name__ = description.lower().replace(" ", "_")
    return action


hide_ideas = _with_reason(
    "Hide selected ideas", lambda idea, user, reason: services.idea_hide(
        idea=idea, actor=user, reason=reason)
)  # fmt: skip
hide_comments = _with_reason(
    "Hide selected comments", lambda c, user, reason: services.comment_hide(
        comment=c, actor=user, reason=reason)
)  # fmt: skip


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "vote_threshold"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TransitionInline(admin.TabularInline):
    model = IdeaTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "from_status", "to_status", "actor", "reason"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "creator", "status", "vote_count", "comment_count", "published_at",
                    "hidden_at"]  # fmt: skip
    list_filter = ["status", "category", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "summary", "creator__username"]
    list_select_related = ["creator"]
    readonly_fields = ["status", "vote_count", "comment_count", "published_at",
                       "voting_deadline", "hidden_at", "hidden_by", "hidden_reason", "body_html",
                       "created_at", "updated_at"]  # fmt: skip
    raw_id_fields = ["creator"]
    inlines = [TransitionInline]
    actions = [hide_ideas]

    def has_add_permission(self, request) -> bool:
        return False  # ideas are posted by members through the site or the API


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "idea", "author", "is_suggestion", "accepted_at", "created_at",
                    "hidden_at"]  # fmt: skip
    list_filter = ["is_suggestion", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__username"]
    list_select_related = ["idea", "author"]
    raw_id_fields = ["idea", "author", "parent", "root", "contribution"]
    readonly_fields = ["body_html", "accepted_at", "hidden_at", "hidden_by", "hidden_reason"]
    actions = [hide_comments]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["pk", "idea", "comment", "reporter", "reason", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["idea", "comment", "reporter", "resolved_by"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "idea", "comment", "actor", "reason_text"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
