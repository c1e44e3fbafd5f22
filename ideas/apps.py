from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        from . import listcache

        # Saving or deleting an idea (or a proxy of it) retires the cached home-page cards.
        post_save.connect(listcache.on_idea_saved, dispatch_uid="idea-list-cache")
        post_delete.connect(listcache.on_idea_saved, dispatch_uid="idea-list-cache-deleted")
        # A category's name is on the cards and in the search form.
        post_save.connect(listcache.on_category_saved, dispatch_uid="category-list-cache")
        post_delete.connect(listcache.on_category_saved, dispatch_uid="category-list-deleted")
        # A member's name is on every cached page of threads they wrote on.
        post_save.connect(
            listcache.on_member_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="threads-names"
        )
