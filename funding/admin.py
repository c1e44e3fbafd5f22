from django.contrib import admin, messages
from django.shortcuts import render

from core.errors import ApplicationError
from ideas.models import IdeaStatus

from .forms import ApproveForm, RejectForm
from .models import FundingRound, IdeaInReview, Payment, Pledge, Product, ReviewDecision
from .services import funding_round_close, product_advance, review_decide


def _decide(modeladmin, request, queryset, *, decision: str, form_class):
    """An admin action with an intermediate form: the terms (or reason) apply to every idea
    selected, each decided through review_decide like the API and the review queue."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            terms = form.terms() if decision == "approve" else {}
            done = 0
            for idea in queryset:
                try:
                    review_decide(
                        idea=idea,
                        reviewer=request.user,
                        decision=decision,
                        reason=form.cleaned_data["reason"],
                        **terms,
                    )
                    done += 1
                except ApplicationError as exc:
                    modeladmin.message_user(request, f"{idea}: {exc.message}", messages.ERROR)
            if done:
                modeladmin.message_user(request, f"{done} idea(s) decided.", messages.SUCCESS)
            return None
    else:
        form = form_class()
    return render(
        request,
        "funding/admin_review_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": "Approve for funding" if decision == "approve" else "Reject",
            "ideas": queryset,
            "form": form,
            "action": request.POST.get("action"),
        },
    )


@admin.register(IdeaInReview)
class IdeaInReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "creator", "category", "vote_count", "updated_at"]
    list_select_related = ["creator", "category"]
    search_fields = ["title", "summary"]
    actions = ["approve_for_funding", "reject"]
    readonly_fields = [f.name for f in IdeaInReview._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=IdeaStatus.REVIEW)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Approve for funding…")
    def approve_for_funding(self, request, queryset):
        return _decide(self, request, queryset, decision="approve", form_class=ApproveForm)

    @admin.action(description="Reject with a reason…")
    def reject(self, request, queryset):
        return _decide(self, request, queryset, decision="reject", form_class=RejectForm)


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["idea", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["idea", "reviewer"]

    def has_add_permission(self, request):
        return False  # decisions come from the review (the action above, the queue, the API)

    def has_change_permission(self, request, obj=None):
        return False  # part of the audit trail

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["idea", "member", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "currency"]
    list_select_related = ["idea", "member"]
    readonly_fields = ["idea", "member", "amount", "currency", "status", "created_at"]
    actions = ["close_round"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Close the funding round of these pledges' ideas")
    def close_round(self, request, queryset):
        for idea_id in set(queryset.values_list("idea_id", flat=True)):
            idea = IdeaInReview.objects.get(pk=idea_id)
            try:
                product = funding_round_close(idea=idea, actor=request.user)
                self.message_user(request, f"{idea}: {'funded' if product else 'failed'}.")
            except ApplicationError as exc:
                self.message_user(request, f"{idea}: {exc.message}", messages.ERROR)


@admin.register(FundingRound)
class FundingRoundAdmin(admin.ModelAdmin):
    list_display = ["idea", "goal", "currency", "deadline", "platform_fee_bp", "points_per_unit"]
    list_filter = ["currency"]
    list_select_related = ["idea"]
    readonly_fields = [f.name for f in FundingRound._meta.fields]

    def has_add_permission(self, request):
        return False  # a round is opened by an approval

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["idea", "currency", "amount_raised", "funding_goal", "platform_fee_bp"]
    list_select_related = ["idea", "funding_round"]
    readonly_fields = [f.name for f in Product._meta.fields]
    actions = ["advance"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Move on (funded → in production → launched)")
    def advance(self, request, queryset):
        for product in queryset.select_related("idea"):
            try:
                product_advance(product=product, actor=request.user)
                self.message_user(request, f"{product}: now {product.idea.status}.")
            except ApplicationError as exc:
                self.message_user(request, f"{product}: {exc.message}", messages.ERROR)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["pledge", "amount", "currency", "status", "reference", "confirmed_at"]
    list_filter = ["status", "provider"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False
