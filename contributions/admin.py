"""Staff see every claim; decisions go through the services (the same rules as the API):
approve with the proposed points, or reject with a reason typed on an intermediate page."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from core.errors import ApplicationError

from .models import Contribution, ContributionStatus
from .services import REASON_MISSING, contribution_approve, contribution_reject


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "idea",
        "member",
        "kind",
        "proposed_points",
        "points",
        "status",
        "endorsed_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("description", "member__username", "idea__title")
    date_hierarchy = "created_at"
    list_select_related = ("idea", "member", "decided_by")
    actions = ["approve_with_proposed_points", "reject_with_reason"]
    # Decisions are made by the actions (services), never by editing the row.
    readonly_fields = [f.name for f in Contribution._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _report(self, request, done: int, failures: list[str], verb: str) -> None:
        if done:
            self.message_user(request, f"{verb} {done} claim(s).", messages.SUCCESS)
        for failure in failures:
            self.message_user(request, failure, messages.WARNING)

    @admin.action(description="Approve selected claims with their proposed points")
    def approve_with_proposed_points(self, request, queryset):
        done, failures = 0, []
        for contribution in queryset.filter(status=ContributionStatus.PENDING):
            try:
                contribution_approve(
                    contribution=contribution,
                    reviewer=request.user,
                    points=contribution.proposed_points,
                )
                done += 1
            except ApplicationError as exc:
                failures.append(f"#{contribution.pk}: {exc.message}")
        self._report(request, done, failures, "Approved")

    @admin.action(description="Reject selected claims (asks for a reason)")
    def reject_with_reason(self, request, queryset):
        pending = queryset.filter(status=ContributionStatus.PENDING)
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") == "yes" and reason:
            done, failures = 0, []
            for contribution in pending:
                try:
                    contribution_reject(
                        contribution=contribution, reviewer=request.user, reason=reason
                    )
                    done += 1
                except ApplicationError as exc:
                    failures.append(f"#{contribution.pk}: {exc.message}")
            self._report(request, done, failures, "Rejected")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject contribution claims",
            "claims": pending,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "missing_reason": REASON_MISSING if request.POST.get("confirm") == "yes" else "",
        }
        return TemplateResponse(request, "contributions/admin_reject.html", context)
