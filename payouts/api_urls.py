from django.urls import path

from . import api, api_batches, api_corrections, api_destinations

urlpatterns = [
    path("products/<id:product_id>/periods/", api.ProductPeriodsApi.as_view(), name="periods"),
    path("periods/<id:period_id>/", api_corrections.PeriodDetailApi.as_view(), name="period"),
    path("periods/<id:period_id>/settle/", api.PeriodSettleApi.as_view(), name="period-settle"),
    path(
        "settlements/<id:settlement_id>/",
        api.SettlementDetailApi.as_view(),
        name="settlement-detail",
    ),
    path(
        "settlements/<id:settlement_id>/approve/",
        api.SettlementApproveApi.as_view(),
        name="settlement-approve",
    ),
    path(
        "settlements/<id:settlement_id>/discard/",
        api_corrections.SettlementDiscardApi.as_view(),
        name="settlement-discard",
    ),
    path(
        "settlements/<id:settlement_id>/reverse/",
        api_corrections.SettlementReverseApi.as_view(),
        name="settlement-reverse",
    ),
    path(
        "settlements/<id:settlement_id>/reverse/approve/",
        api_corrections.SettlementReverseApproveApi.as_view(),
        name="settlement-reverse-approve",
    ),
    path(
        "me/payout-destination/",
        api_destinations.MyPayoutDestinationApi.as_view(),
        name="my-payout-destination",
    ),
    path(
        "payout-batches/<id:batch_id>/payees.csv",
        api_destinations.PayoutBatchBankCsvApi.as_view(),
        name="payout-batch-payees-csv",
    ),
    path(
        "payout-batches/<id:batch_id>/payees.xlsx",
        api_destinations.PayoutBatchBankXlsxApi.as_view(),
        name="payout-batch-payees-xlsx",
    ),
    path(
        "payout-batches/<id:batch_id>/sepa.xml",
        api_destinations.PayoutBatchSepaApi.as_view(),
        name="payout-batch-sepa",
    ),
    path("ledger/export.csv", api.LedgerExportCsvApi.as_view(), name="ledger-export-csv"),
    path("ledger/export.xlsx", api.LedgerExportXlsxApi.as_view(), name="ledger-export-xlsx"),
    path("payout-batches/", api_batches.PayoutBatchesApi.as_view(), name="payout-batches"),
    path(
        "payout-batches/<id:batch_id>/export.csv",
        api_batches.PayoutBatchExportCsvApi.as_view(),
        name="payout-batch-export-csv",
    ),
    path(
        "payout-batches/<id:batch_id>/export.xlsx",
        api_batches.PayoutBatchExportXlsxApi.as_view(),
        name="payout-batch-export-xlsx",
    ),
    path(
        "payout-batches/<id:batch_id>/mark-paid/",
        api_batches.PayoutBatchMarkPaidApi.as_view(),
        name="payout-batch-mark-paid",
    ),
    path(
        "payout-batches/<id:batch_id>/cancel/",
        api_batches.PayoutBatchCancelApi.as_view(),
        name="payout-batch-cancel",
    ),
    path("me/earnings/", api.MeEarningsApi.as_view(), name="me-earnings"),
    path(
        "me/earnings/statement.csv", api.MeStatementCsvApi.as_view(), name="me-earnings-statement"
    ),
]
