"""Test settings: PostgreSQL (DATABASE_URL from the Makefile), fast hashing, in-memory e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Tests run tasks eagerly; tests that put tasks under test start real workers on Redis
# (tests/support/celery_worker.py), which run these settings with CELERY_WORKER_TEST=1.
CELERY_WORKER_TEST = env.bool("CELERY_WORKER_TEST", default=False)
CELERY_TASK_ALWAYS_EAGER = not CELERY_WORKER_TEST
CELERY_BROKER_URL = env("REDIS_URL", default="memory://")
if CELERY_WORKER_TEST:
    # tasks a worker queues itself go to the test's own queue; a killed worker's tasks come back fast
    CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TEST_QUEUE")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 4,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
