from django.urls import path

from . import api

urlpatterns = [
    path("products/<id:product_id>/sales/", api.ProductSalesApi.as_view(), name="sales-lines"),
    path(
        "products/<id:product_id>/sales/imports/",
        api.ProductImportsApi.as_view(),
        name="sales-imports",
    ),
    path("sales/imports/<id:job_id>/", api.ImportDetailApi.as_view(), name="sales-import"),
    path(
        "products/<id:product_id>/adjustments/",
        api.ProductAdjustmentsApi.as_view(),
        name="sales-adjustments",
    ),
    path(
        "adjustments/<id:adjustment_id>/approve/",
        api.AdjustmentApproveApi.as_view(),
        name="sales-adjustment-approve",
    ),
    path("periods/<id:period_id>/lines/", api.PeriodLinesApi.as_view(), name="period-lines"),
    path(
        "settlements/<id:settlement_id>/report.json",
        api.SettlementReportApi.as_view(),
        name="settlement-report",
    ),
]
