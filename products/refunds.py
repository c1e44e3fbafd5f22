"""The refunds after an abandonment: h-money's half (pro-rata to what each backer paid)."""


def abandonment_refunds_start(*, abandonment_id: int) -> None:
    """Start refunding the backers of a confirmed abandonment (h-money implements this)."""
    raise NotImplementedError("h-money")
