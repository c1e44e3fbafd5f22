"""A discussion thread as flat rows in display order (issue 26).

Replies used to render recursively (a template including itself): a thread about 56 replies
deep passed Python's recursion limit and the idea page answered 500 to everyone. Threads are
now built iteratively (``ideas.selectors.comment_threads``) into rows that one template loop
renders as nested lists, flattened past ``THREAD_DISPLAY_DEPTH``.
"""

from dataclasses import dataclass, field

from .models import Comment

# Replies deeper than this are shown at this depth, in order, each saying whom it answers.
THREAD_DISPLAY_DEPTH = 6


@dataclass
class ThreadRow:
    """One comment of a thread in display order. The template closes the row's ``<li>``
    unless ``opens`` (the next row is its reply: a replies list opens inside it), then closes
    ``len(up)`` enclosing levels: nested HTML from a flat loop, with no recursion however deep
    the thread (issue 26)."""

    comment: Comment
    depth: int  # the display depth, at most THREAD_DISPLAY_DEPTH
    reply_to: str = ""  # the parent's author, for a reply shown flattened
    opens: bool = False
    up: range = field(default_factory=lambda: range(0))


def thread_row(comment: Comment, parent: Comment | None) -> list[ThreadRow]:
    """One comment rendered alone (a reply just posted), at its place's depth."""
    return thread_rows_link([row_of(comment, comment.depth, parent)])


def row_of(comment: Comment, depth: int, parent: Comment | None) -> ThreadRow:
    flattened = depth > THREAD_DISPLAY_DEPTH and parent is not None
    return ThreadRow(
        comment=comment,
        depth=min(depth, THREAD_DISPLAY_DEPTH),
        reply_to=parent.author.public_name if flattened else "",
    )


def thread_rows_link(rows: list[ThreadRow]) -> list[ThreadRow]:
    """Set how each row's markup ends: open its replies, or close itself and the levels the
    next row leaves (the last row closes back to the first row's level)."""
    if not rows:
        return rows
    base = rows[0].depth
    for row, after in zip(rows, [*rows[1:], None], strict=True):
        next_depth = after.depth if after is not None else base
        row.opens = next_depth > row.depth
        row.up = range(max(0, row.depth - next_depth))
    return rows
