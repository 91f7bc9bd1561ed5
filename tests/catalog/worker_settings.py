"""Settings for the real Celery worker that tests/catalog/test_worker.py starts in a subprocess.

The test settings run tasks eagerly; a worker must not (the dispatch task queues one task per entry on the
broker). Everything else comes from the environment the test gives the subprocess.
"""

import os

from config.settings.test import *  # noqa: F403

# broker, queue and fast re-delivery come from config.settings.test (CELERY_WORKER_TEST=1)
REDIS_URL = os.environ["REDIS_URL"]
CATALOG_HF_ENDPOINT = os.environ["CATALOG_HF_ENDPOINT"]
CATALOG_HF_CACHE_DIR = os.environ["CATALOG_HF_CACHE_DIR"]
CATALOG_HTTP_TIMEOUT = 10.0
CATALOG_RETRY_BACKOFF_BASE = 0.2
CATALOG_RETRY_BACKOFF_MAX = 2.0
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
