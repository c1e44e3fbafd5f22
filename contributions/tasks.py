from celery import shared_task


@shared_task(ignore_result=True, acks_late=True)
def standings_rebuild_task(idea_id: int) -> int:
    """Store a large product's contribution table again (safe to run twice)."""
    from .standings import standings_rebuild

    return standings_rebuild(idea_id=idea_id).contributors
