"""Admin for staff: everything visible; the ledger read-only; approval and reversal through
the same services as the API (four eyes included)."""

from django.contrib import admin, messages

from core.errors import ApplicationError

from . import services
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
    actions = ["approve"]

    @admin.action(description="Approve and post (second finance member)")
    def approve(self, request, queryset):
        for settlement in queryset.select_related("period"):
            try:
                services.settlement_approve(settlement=settlement, actor=request.user)
                self.message_user(request, f"Settlement {settlement.pk} approved.")
            except ApplicationError as exc:
                self.message_user(request, f"{settlement.pk}: {exc.message}", messages.ERROR)


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
    actions = ["reverse"]

    def get_inlines(self, request, obj):
        # A 100,000-entry settlement is exported, not rendered inline.
        return [EntryInline] if obj is not None and obj.entry_count <= 500 else []

    @admin.action(description="Post a reversing transaction")
    def reverse(self, request, queryset):
        for tx in queryset:
            try:
                services.ledger_transaction_reverse(
                    ledger_transaction=tx, actor=request.user, reason="reversed in the admin"
                )
                self.message_user(request, f"Transaction {tx.pk} reversed.")
            except ApplicationError as exc:
                self.message_user(request, f"{tx.pk}: {exc.message}", messages.ERROR)


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
