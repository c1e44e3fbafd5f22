"""The navigation's counts of waiting work, for the members who do it (a context processor).

Each count comes from its app's selectors; this module is in ``config`` because it is the one
place that may import every app. The counts are callables, so a page whose template does not
show them (everyone but reviewers and finance staff) runs no query.
"""

from accounts.roles import is_finance, is_reviewer
from contributions.selectors import contribution_pending_queue
from funding.selectors import ideas_in_review
from ideas.selectors import moderation_waiting
from payments.selectors import open_counts


def queues(request) -> dict:
    user = getattr(request, "user", None)
    waiting: dict = {}
    if user is not None and is_reviewer(user):
        waiting["review"] = lambda: ideas_in_review().count()
        waiting["claims"] = lambda: contribution_pending_queue().count()
        waiting["moderation"] = moderation_waiting
    if user is not None and is_finance(user):
        waiting["payments"] = lambda: sum(open_counts().values())
    return {"waiting": waiting}
