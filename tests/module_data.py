"""Data built once for all the tests of a module (the demo takes most of a minute to build):
``module_data(django_db_blocker, tmp_path_factory, build)`` in a module-scoped fixture runs
``build()`` on the empty test database, with tasks in-process and pictures in a temporary media
folder as for every test, and keeps what it wrote in a transaction that the tests' own nest in
(each test still rolls back its own writes). The transaction is rolled back after the module:
the database is as empty as before. Mark the module's tests with one ``xdist_group`` so that
they run on one xdist worker and share it.

``after_commit=True`` runs what ``build()`` left for after its commit (``on_commit``) at its
end, as a real commit would (``manage.py seed_demo`` is one transaction that commits)."""

import contextlib

from django.db import transaction
from django.test import TestCase, override_settings

from config.celery import app as celery_app


@contextlib.contextmanager
def module_data(django_db_blocker, tmp_path_factory, build, *, after_commit: bool = False):
    eager = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    try:
        with django_db_blocker.unblock(), media, transaction.atomic():
            if after_commit:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    built = build()
            else:
                built = build()
            with django_db_blocker.block():
                yield built
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager
