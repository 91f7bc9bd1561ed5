"""Test settings: PostgreSQL (DATABASE_URL from the Makefile), fast hashing, in-memory e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Tests run tasks eagerly; tests that put tasks under test start a real worker on Redis
# (tests/support/celery_worker.py), which is itself started with CELERY_WORKER_TEST=1.
CELERY_TASK_ALWAYS_EAGER = not env.bool("CELERY_WORKER_TEST", default=False)
CELERY_BROKER_URL = env("REDIS_URL", default="memory://")
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
