"""Celery application.

With ``REDIS_URL`` unset (the ``make run`` default) ``CELERY_TASK_ALWAYS_EAGER`` is on and tasks
run in-process; see config/settings/base.py.
"""

import os
import sys
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("charter")
# Celery's Django fix-up puts the working directory first on sys.path; when a command runs from
# inside an app folder (makemessages) that would shadow the `apps` package with `apps.py`.
_root = str(Path(__file__).resolve().parent.parent)
if sys.path and sys.path[0] == os.getcwd() and os.getcwd() != _root:
    sys.path.pop(0)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
