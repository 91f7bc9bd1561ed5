"""A global fixed-window rate limit for outbound source requests.

Redis-based (shared by every worker) when REDIS_URL is set, in-process otherwise. ``acquire`` never blocks: it
returns 0 when a request may go now, or the seconds to wait, which the task turns into a Celery retry countdown.
"""

from __future__ import annotations

import threading
import time
from functools import cache
from typing import Any

from django.conf import settings

from . import conf

_local_lock = threading.Lock()
_local_counts: dict[str, int] = {}


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def _redis_url() -> str:
    return str(getattr(settings, "CATALOG_RATE_LIMIT_REDIS_URL", "") or getattr(settings, "REDIS_URL", "") or "")


def acquire(
    name: str = "hub", *, limit: int | None = None, window: int | None = None, now: float | None = None
) -> float:
    """Take one request slot. Returns 0.0 when granted, otherwise seconds until the next window."""
    limit = int(limit if limit is not None else conf.get("CATALOG_HUB_RATE_LIMIT"))
    window = int(window if window is not None else conf.get("CATALOG_HUB_RATE_WINDOW"))
    now = time.time() if now is None else now
    index = int(now // window)
    wait = (index + 1) * window - now
    key = f"charter:catalog:ratelimit:{name}:{window}:{index}"
    url = _redis_url()
    if url:
        client = _redis(url)
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, window + 5)
        count = int(pipe.execute()[0])
    else:
        with _local_lock:
            for stale in [k for k in _local_counts if k.startswith(f"charter:catalog:ratelimit:{name}:") and k != key]:
                del _local_counts[stale]
            _local_counts[key] = _local_counts.get(key, 0) + 1
            count = _local_counts[key]
    return 0.0 if count <= limit else max(wait, 0.5)


def reset_local() -> None:
    with _local_lock:
        _local_counts.clear()
