"""Stored files that a change replaces."""

from django.db import transaction


def delete_after_commit(file_field) -> None:
    """Delete the stored file once the transaction that replaced it commits (never before: a
    rollback must find the old file still there)."""
    if file_field:
        old, storage = file_field.name, file_field.storage
        transaction.on_commit(lambda: storage.delete(old))
