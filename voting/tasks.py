from celery import shared_task

from .services import vote_tallies_fold, votes_due_count, voting_windows_close


@shared_task(ignore_result=True)
def voting_windows_close_task() -> dict[str, int]:
    """Beat safety net: expire ideas whose voting window ended; safe to run twice."""
    return voting_windows_close()


@shared_task(ignore_result=True)
def vote_tallies_fold_task() -> int:
    """Beat: fold the vote counter rows into the ideas (lists and the hot score read them)."""
    return vote_tallies_fold()


@shared_task(ignore_result=True)
def votes_due_count_task() -> int:
    """Beat: votes of accounts now old enough start counting (and may send an idea on)."""
    return votes_due_count()
