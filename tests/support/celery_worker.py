"""A real Celery worker process on Redis for tests that put tasks under test.

The worker runs ``celery -A config worker`` in a subprocess against the test database (the data it
needs must be committed: use transactional tests) and listens on a queue of its own, so parallel
test runs sharing one Redis never take each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    user = s.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{s['NAME']}"


class WorkerProcess:
    def __init__(self, queue: str, env: dict[str, str]) -> None:
        self.queue = queue
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            self.queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
            "-n",
            f"{self.queue}@%h",
        ]
        log = open(ROOT / "var" / f"worker-{self.queue}.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=log)

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash (acks_late re-delivers the task)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def celery_worker(extra_env: dict[str, str] | None = None) -> Iterator[WorkerProcess]:
    """Route this process's tasks to Redis and run a worker for them; restore eager mode after."""
    (ROOT / "var").mkdir(exist_ok=True)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url(),
        "CELERY_WORKER_TEST": "1",
        **(extra_env or {}),
    }
    saved: dict[str, Any] = {k: app.conf.get(k) for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=redis_url(), task_default_queue=queue)
    app._pool = None  # a producer pool made for another broker must not be reused
    worker = WorkerProcess(queue, env)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.update(saved)
        app._pool = None
