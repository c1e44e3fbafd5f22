from celery import shared_task

from .services import milestones_tell_slipped


@shared_task(ignore_result=True)
def milestones_tell_slipped_task() -> int:
    """Beat job: backers and followers hear once of each milestone that slipped."""
    return milestones_tell_slipped()
