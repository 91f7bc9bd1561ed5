"""Settings for the real Celery worker that tests/catalog/test_worker.py starts in a subprocess.

The test settings run tasks eagerly; a worker must not (the dispatch task queues one task per entry on the
broker). Everything else comes from the environment the test gives the subprocess.
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["REDIS_URL"]
REDIS_URL = os.environ["REDIS_URL"]
# a killed worker's unacknowledged tasks come back quickly
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# tasks the worker queues itself (one per entry, notifications) go to the test's own queue
CELERY_TASK_DEFAULT_QUEUE = os.environ["CATALOG_TEST_QUEUE"]
CATALOG_HF_ENDPOINT = os.environ["CATALOG_HF_ENDPOINT"]
CATALOG_HF_CACHE_DIR = os.environ["CATALOG_HF_CACHE_DIR"]
CATALOG_HTTP_TIMEOUT = 10.0
CATALOG_RETRY_BACKOFF_BASE = 0.2
CATALOG_RETRY_BACKOFF_MAX = 2.0
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
