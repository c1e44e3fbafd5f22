"""Form helpers shared by every app's pages."""

from django import forms

from .errors import ApplicationError


def add_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's error on a form: next to each field it names that the form has, and at
    the top for the rest (or for the message when it names no field of the form)."""
    placed = False
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
