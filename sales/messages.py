"""The sentences of an import's refusal: stored as a code and parameters, worded when read."""

from django.utils.translation import gettext, gettext_lazy

MESSAGES = {
    "empty_file": gettext_lazy("The file is empty: its first row must name the columns."),
    "not_utf8": gettext_lazy(
        "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again."
    ),
    "missing_column": gettext_lazy(
        "The first row has no “%(column)s” column: name the columns as docs/sales-import.md shows."
    ),
    "short_row": gettext_lazy(
        "This row has %(found)s cells where the header has %(expected)s: check its commas "
        "and quotes."
    ),
    "bad_amount": gettext_lazy(
        "%(column)s “%(value)s” is not an amount: write it like 12.50, with a point and at most "
        "%(places)s decimals, and no minus sign."
    ),
    "bad_date": gettext_lazy("%(column)s “%(value)s” is not a date: write it as 2026-01-31."),
    "bad_quantity": gettext_lazy(
        "%(column)s “%(value)s” is not a quantity: write a whole number of zero or more."
    ),
    "empty": gettext_lazy("%(column)s is empty: fill it in."),
    "too_long": gettext_lazy("%(column)s is too long: keep it to %(limit)s characters."),
    "bad_kind": gettext_lazy(
        "kind “%(value)s” is unknown: write sale or refund, or leave it empty."
    ),
    "wrong_currency": gettext_lazy(
        "The currency is “%(value)s”, but the product sells in %(currency)s: import only "
        "%(currency)s sales."
    ),
    "future_date": gettext_lazy(
        "The date %(value)s is in the future: import sales once they have happened."
    ),
    "settled_date": gettext_lazy(
        "The date %(value)s falls in the period %(start)s – %(end)s, which is already settled: "
        "date the line in a later period."
    ),
    "before_funding": gettext_lazy(
        "The date %(value)s is before %(funded_on)s, the day the product was funded."
    ),
    "shopify_not_first_row": gettext_lazy(
        "Order %(order)s starts on this row without its financial status: import the orders "
        "export as Shopify wrote it, every order's first row included."
    ),
    "bad_time": gettext_lazy(
        "%(column)s “%(value)s” is not a time: it should read like 2026-03-01 12:34:56."
    ),
    "taobao_not_text": gettext_lazy(
        "The file is neither GBK nor UTF-8 text: upload Taobao's order report "
        "(ExportOrderList….csv) as the seller centre wrote it."
    ),
    "taobao_not_paid": gettext_lazy(
        "Order %(order)s is “%(status)s” but has no 订单付款时间 (payment time): import the "
        "order report as Taobao wrote it."
    ),
    "failed": gettext_lazy("The import stopped unexpectedly: upload the file again."),
}


def import_error_text(*, code: str, row: int | None, params: dict) -> str:
    """The refusal in the reader's language: "Row 7: …"."""
    template = MESSAGES.get(code, MESSAGES["failed"])
    try:
        sentence = str(template) % params
    except (KeyError, TypeError, ValueError):
        sentence = str(MESSAGES["failed"])
    if row is None:
        return sentence
    return gettext("Row %(row)s: %(sentence)s") % {"row": row, "sentence": sentence}
