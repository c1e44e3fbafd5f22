"""The contributions rules on pages: each tag returns the rule's refusal (or None), so a
template shows its message or hides a button and never restates the condition.

    {% endorse_refusal claim user as refused %}{% if not refused %}…Endorse…{% endif %}
"""

from django import template

from payouts.rules import BP, CREATOR_SHARE_BP

from .. import rules

register = template.Library()


@register.simple_tag
def endorse_refusal(contribution, user):
    return rules.may_endorse(contribution=contribution, actor=user)


@register.simple_tag
def decide_refusal(contribution, user):
    return rules.may_decide(contribution=contribution, reviewer=user)


@register.simple_tag
def creator_share_percent() -> str:
    """The creator's share of every period's profit, as "10" (percent)."""
    return f"{CREATOR_SHARE_BP * 100 / BP:g}"
