"""Real Celery workers on Redis for the tests that put tasks under test.

``celery_broker()`` points this process's producer at Redis (a queue of its own, so parallel test
runs sharing one Redis never take each other's tasks) and starts ``celery -A config worker``
subprocesses on demand against the test database — so the data they need must be committed: use
transactional tests. On exit the workers stop and eager mode comes back.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from django.db import connection
from kombu import pools as kombu_pools

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll observable state until it holds (bounded), rather than sleeping for a guessed time."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pause.wait(0.1)


def redis_url(db: int | None = None) -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    return url if db is None else re.sub(r"/\d*$", "", url) + f"/{db}"


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s.get('USER') or 'postgres'}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    )


def _reset_connections() -> None:
    """Drop cached broker connections so the next publish uses the current broker_url."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class WorkerProcess:
    def __init__(self, queue: str, env: dict[str, str], log_dir: Path) -> None:
        self.queue = queue
        self.env = env
        self.log = log_dir / f"worker-{queue}-{uuid.uuid4().hex[:6]}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        cmd = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@test", "-Q", self.queue,
        ]  # fmt: skip
        with self.log.open("wb") as handle:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: "ready." in self.output() or self.proc.poll() is not None, 60, "the worker to start")  # type: ignore[union-attr]
        assert self.proc.poll() is None, self.output()
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL, as in a crash: with acks_late the task it held comes back to the queue."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class CeleryBroker:
    def __init__(self, queue: str, env: dict[str, str], log_dir: Path) -> None:
        self.queue = queue
        self.env = env
        self.log_dir = log_dir
        self.workers: list[WorkerProcess] = []

    def new_worker(self) -> WorkerProcess:
        worker = WorkerProcess(self.queue, self.env, self.log_dir).start()
        self.workers.append(worker)
        return worker


@contextmanager
def celery_broker(
    *,
    env: dict[str, str] | None = None,
    settings_module: str = "config.settings.test",
    redis_db: int | None = None,
    transport_options: dict[str, Any] | None = None,
    log_dir: Path | None = None,
) -> Iterator[CeleryBroker]:
    url = redis_url(redis_db)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "REDIS_URL": url,
        "CELERY_WORKER_TEST": "1",
        "CELERY_TEST_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    logs = log_dir or ROOT / "var"
    logs.mkdir(parents=True, exist_ok=True)
    keys = ("task_always_eager", "broker_url", "broker_transport_options", "task_default_queue")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=url,
        broker_transport_options=transport_options or saved["broker_transport_options"] or {},
        task_default_queue=queue,
    )
    _reset_connections()
    broker = CeleryBroker(queue, worker_env, logs)
    try:
        yield broker
    finally:
        for worker in broker.workers:
            worker.stop()
        app.conf.update(saved)
        _reset_connections()
        redis.Redis.from_url(url).delete(queue)
