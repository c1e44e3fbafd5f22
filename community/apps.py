from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Members' faces and the ties between them: profiles, following ideas and members, creator
    updates to backers and followers, share links. The top of the app stack: it reads ideas,
    funding, contributions and payouts; none of them imports it."""

    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from ideas.hooks import idea_community_box, idea_published

        from .pages import idea_community_box as compose_box
        from .services import followers_tell_of_new_idea

        idea_published.connect(followers_tell_of_new_idea)
        idea_community_box.connect(compose_box)
