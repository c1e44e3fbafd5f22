"""Settings for the test suite (pyproject's ``DJANGO_SETTINGS_MODULE``): the real settings, made
fast and self-contained. ``DATABASE_URL`` still picks the PostgreSQL (else the embedded one);
``REDIS_URL`` still picks Celery's broker (tests/conftest.py runs tasks in-process unless a test
starts a real worker, as tests/payouts/test_worker.py does; that worker runs these settings too);
the cache is always local memory.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES, REST_FRAMEWORK, STORAGES

# The real hasher is deliberately slow: it dominated the run time of tests that make accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Mail stays in memory (django.core.mail.outbox); the cache is per process, so xdist workers
# never see each other's keys. Tests that need Redis as the cache set it themselves.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# No manifest: templates may name static files that were never collected.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No rate limits unless a test asks for one (the `rates` fixture in tests/conftest.py): the
# throttles read the rates per request, and a scope without a rate is not limited.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}

# A test database's commits need not wait for the disk (a crash loses a test run, nothing else):
# the transactional tests, the live server's requests, the workers and the migrations commit
# thousands of times, a few milliseconds each on a disk that syncs. The embedded server runs
# with fsync off for the same reason (config/embedded_db.py).
for _database in DATABASES.values():
    _database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
