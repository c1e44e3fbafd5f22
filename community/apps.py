from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CommunityConfig(AppConfig):
    """Members' faces and the ties between them: profiles, following ideas and members, creator
    updates to backers and followers, share links. The top of the app stack: it reads ideas,
    funding, contributions and payouts; none of them imports it."""

    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from ideas.hooks import idea_community_box, idea_published

        from . import boxcache
        from .models import IdeaFollow, IdeaUpdate
        from .pages import idea_community_box as compose_box
        from .services import followers_tell_of_new_idea

        idea_published.connect(followers_tell_of_new_idea)
        # The idea page's follower count and updates are cached: retire them on any change.
        for model in (IdeaFollow, IdeaUpdate):
            post_save.connect(boxcache.on_row_changed, sender=model, dispatch_uid=f"box-{model}")
            post_delete.connect(
                boxcache.on_row_changed, sender=model, dispatch_uid=f"box-d-{model}"
            )
        idea_community_box.connect(compose_box)
