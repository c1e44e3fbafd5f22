from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils.translation import gettext

from .. import rules, selectors
from ..services import UPDATE_MAX_LENGTH

register = template.Library()

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


@register.simple_tag(takes_context=True)
def idea_community(context, idea):
    """What the idea page shows of its community: following, updates, share links (read once
    per page: the follow box and the updates section both ask)."""
    known = getattr(idea, "_community", None)
    if known is not None:
        return known
    public = idea.is_public
    url = f"{settings.SITE_URL}{idea.get_absolute_url()}"
    user = context["request"].user
    idea._community = {
        "public": public,
        "follows": public and selectors.follows_idea(idea=idea, member=user),
        "follower_count": selectors.idea_follower_count(idea=idea) if public else 0,
        "updates": list(selectors.idea_updates(idea=idea)[:UPDATES_SHOWN]) if public else [],
        "may_post": rules.may_post_update(idea=idea, member=user) is None,
        "update_max_length": UPDATE_MAX_LENGTH,
        "share_url": url,
        "share_links": share_links(url=url, title=idea.title) if public else [],
    }
    return idea._community
