from django import template
from django.utils.html import format_html

from core.idempotency import FORM_FIELD, new_form_token

register = template.Library()


@register.simple_tag
def once_token() -> str:
    """A hidden one-time token: put it in every plain form whose view is wrapped in
    ``core.idempotency.once_per_submission`` (``{% load once %}{% once_token %}``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_form_token())
