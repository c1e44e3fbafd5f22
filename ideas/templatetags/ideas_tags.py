"""Template tags of the ideas pages, and for other apps' pages.

``{% idea_discussion idea %}`` shows an idea's discussion on another page (a funded idea's
product page): the first threads, the comment form, replies, flags and accepting work the same
as on the idea page. ``{% idea_permissions idea as can %}`` and ``{% comment_permissions c idea
as can %}`` give what the signed-in member may do, as ``ideas.rules`` decides it.
"""

from django import template

from ideas import rules
from ideas.selectors import comment_roots, comment_threads

register = template.Library()
THREADS = 10


@register.inclusion_tag("ideas/_discussion.html", takes_context=True)
def idea_discussion(context, idea):
    roots = list(comment_roots(idea=idea)[: THREADS + 1])
    return {
        "idea": idea,
        "threads": comment_threads(roots=roots[:THREADS]),
        "page": None,
        "more_url": f"{idea.get_absolute_url()}#discussion" if len(roots) > THREADS else "",
        "can_comment": rules.may_comment(idea=idea) is None,
        "standalone": True,
        "user": context.get("user"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def idea_permissions(context, idea) -> dict[str, bool]:
    """What the member may do with the idea: edit, publish, withdraw."""
    member = context.get("user")
    return {
        "edit": rules.may_edit_idea(idea=idea, member=member) is None,
        "publish": rules.may_publish_idea(idea=idea, member=member) is None,
        "withdraw": rules.may_withdraw_idea(idea=idea, member=member) is None,
    }


@register.simple_tag(takes_context=True)
def comment_permissions(context, comment, idea) -> dict[str, bool]:
    """What the member may see and do with a comment of ``idea``."""
    member = context.get("user")
    if comment.idea_id == idea.pk:
        comment.idea = idea  # the page's idea: no query per comment
    signed_in = member is not None and member.is_authenticated
    return {
        "see_hidden": rules.content_visible(
            hidden_at=comment.hidden_at, author_id=comment.author_id, member=member
        ),
        "reply": signed_in and rules.may_comment(idea=idea, parent=comment) is None,
        "accept": rules.may_accept_suggestion(comment=comment, member=member) is None,
        "flag": rules.may_flag(target=comment, member=member) is None,
        "moderate": signed_in
        and not comment.hidden_at
        and rules.may_moderate(member=member) is None,
    }
