"""Template tags for other apps' pages: ``{% load ideas_tags %}{% idea_discussion idea %}``.

The product page (a funded idea) shows the idea's discussion this way: the first threads, the
comment form, replies, flags and accepting work the same as on the idea page.
"""

from django import template

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
        "can_comment": idea.published_at is not None and idea.hidden_at is None,
        "max_depth": 4,
        "standalone": True,
        "user": context.get("user"),
        "request": context.get("request"),
        "user_is_reviewer": context.get("user_is_reviewer", False),
        "csrf_token": context.get("csrf_token"),
    }
