"""What community shows on other apps' pages, composed here and passed in the context."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext

from . import boxcache, rules, selectors
from .services import UPDATE_MAX_LENGTH

UPDATES_SHOWN = 20


@dataclass
class ShareLink:
    name: str
    url: str


def share_links(*, url: str, title: str) -> list[ShareLink]:
    """Plain links to the usual share targets: nothing loads from them until clicked."""
    text = f"{title} — AHHHA"
    return [
        ShareLink(
            gettext("E-mail"),
            "mailto:?" + urlencode({"subject": text, "body": url}, quote_via=quote),
        ),
        ShareLink("X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": text})),
        ShareLink(
            "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
        ),
        ShareLink(
            "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
        ),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        ShareLink(
            gettext("Weibo"),
            "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": text}),
        ),
    ]


def _shown(idea) -> dict:
    """The follower count and the last updates: the same for every reader (community.boxcache)."""

    def compute() -> dict:
        updates = selectors.idea_updates(idea=idea)[:UPDATES_SHOWN]
        return {
            "follower_count": selectors.idea_follower_count(idea=idea),
            "updates": list(updates.values("pk", "created_at", "body_html")),
        }

    return boxcache.cached(idea.pk, compute)


def idea_community_box(*, idea, member) -> dict:
    """What the idea page shows of its community: following, updates, share links. ``ideas``
    renders the page and reaches this through ``ideas.hooks.idea_community_box``."""
    public = idea.is_public
    url = f"{settings.SITE_URL}{idea.get_absolute_url()}"
    return {
        "public": public,
        "follows": public and selectors.follows_idea(idea=idea, member=member),
        **(_shown(idea) if public else {"follower_count": 0, "updates": []}),
        "may_post": rules.may_post_update(idea=idea, member=member) is None,
        "update_max_length": UPDATE_MAX_LENGTH,
        "share_url": url,
        "share_links": share_links(url=url, title=idea.title) if public else [],
    }
