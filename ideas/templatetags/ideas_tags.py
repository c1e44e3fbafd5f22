"""Template tags of the ideas pages: ``{% idea_permissions idea as can %}`` and
``{% comment_permissions c idea as can %}`` give what the signed-in member may do, as
``ideas.rules`` decides it (no query: the rules read the objects the page already has).

Another page showing an idea's discussion composes it in its view with
``ideas.selectors.discussion_preview(idea=)`` and includes ``ideas/_discussion.html``.
"""

from django import template
from django.utils.safestring import mark_safe

from core.templatetags.cldr import relative
from ideas import listcache, rules

register = template.Library()


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


@register.simple_tag(takes_context=True)
def comment_time(context, value) -> str:
    """A comment's relative time ("3 minutes ago"); on a page of threads that may be cached
    (``times_later``), a marker that ideas.listcache.fill_times writes for each request."""
    if context.get("times_later"):
        return mark_safe(listcache.time_mark(value))  # noqa: S308 — digits only
    return relative(value)
