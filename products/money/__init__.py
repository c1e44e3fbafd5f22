"""A product's money (issue 27): the raised money as the product's funds in the ledger, its
budget, expenses with receipts (four eyes) and the refunds after an abandonment.

``services/ledger.py`` posts every movement; ``services/expenses.py`` and
``services/refunds.py`` change state; ``selectors.py`` reads (the budget from the ledger);
``rules.py`` says who may; ``api.py`` and ``views.py`` are the edges. See docs/products.md.
"""
