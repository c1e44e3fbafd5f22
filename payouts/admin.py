"""Admin for staff: everything visible; the ledger read-only; approval and reversal through
the same services as the API (four eyes included): a reversal is requested with a reason by one
finance member and approved by another, as on the settlement page."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from core.errors import ApplicationError

from . import services
from .forms import ReasonForm
from .models import (
    Account,
    LedgerEntry,
    LedgerTransaction,
    PayoutBatch,
    PayoutItem,
    Period,
    Settlement,
    SettlementLine,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["id", "product", "start", "end", "revenue", "costs", "recorded_by"]
    list_filter = ["product"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["id", "product", "period", "status", "progress", "distributable", "posted_at"]
    list_filter = ["status", "currency"]
    actions = ["approve", "request_reversal", "approve_reversal"]

    def _each(self, request, queryset, done: str, call) -> None:
        for settlement in queryset.select_related("period"):
            try:
                call(settlement)
                self.message_user(request, f"Settlement {settlement.pk} {done}.")
            except ApplicationError as exc:
                self.message_user(request, f"{settlement.pk}: {exc.message}", messages.ERROR)

    @admin.action(description="Approve and post (second finance member)")
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            "approved",
            lambda s: services.settlement_approve(settlement=s, actor=request.user),
        )

    @admin.action(description="Request a reversal (a second finance member approves it)")
    def request_reversal(self, request, queryset):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():  # first ask why, on an intermediate page
            context = {
                **self.admin_site.each_context(request),
                "form": form,
                "settlements": queryset,
                "action": "request_reversal",
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "payouts/admin_reversal_reason.html", context)
        reason = form.cleaned_data["reason"]
        self._each(
            request,
            queryset,
            "reversal requested",
            lambda s: services.settlement_reversal_request(
                settlement=s, actor=request.user, reason=reason
            ),
        )
        return None

    @admin.action(description="Approve the requested reversal (not the one who requested it)")
    def approve_reversal(self, request, queryset):
        self._each(
            request,
            queryset,
            "reversed",
            lambda s: services.settlement_reversal_approve(settlement=s, actor=request.user),
        )


@admin.register(SettlementLine)
class SettlementLineAdmin(ReadOnlyAdmin):
    list_display = ["id", "settlement", "role", "member", "weight", "amount"]
    list_filter = ["role"]
    raw_id_fields = ["settlement", "member"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "currency", "member", "product"]
    list_filter = ["kind", "currency"]


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["account", "debit", "credit"]
    readonly_fields = ["account", "debit", "credit"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "currency", "product", "posted_at", "entry_count"]
    list_filter = ["kind", "currency"]

    def get_inlines(self, request, obj):
        # A 100,000-entry settlement is exported, not rendered inline.
        return [EntryInline] if obj is not None and obj.entry_count <= 500 else []


class ItemInline(admin.TabularInline):
    model = PayoutItem
    fields = ["member", "amount"]
    readonly_fields = ["member", "amount"]
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "currency", "status", "item_count", "total", "reference", "paid_at"]
    list_filter = ["status", "currency"]
    inlines = [ItemInline]
