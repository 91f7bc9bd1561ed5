"""Hugging Face Hub source, through the real ``huggingface_hub`` client.

One entry costs one request when its repository has not changed (``model_info``; the sha is compared with the
one we stored) and two when it has (``config.json`` at that exact commit, via ``hf_hub_download``, for the
context length). The endpoint is always passed explicitly: huggingface_hub reads HF_ENDPOINT at import time.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx2
from huggingface_hub import HfApi, hf_hub_download, set_client_factory
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils._http import hf_request_event_hook

from .. import conf
from .errors import (
    SourceError,
    SourceMalformed,
    SourceNotFound,
    SourceOffline,
    SourceTransient,
)
from .http import GuardedTransport, classify_status

EXPAND = [
    "author",
    "cardData",
    "downloads",
    "gated",
    "lastModified",
    "library_name",
    "likes",
    "pipeline_tag",
    "safetensors",
    "sha",
    "tags",
]
CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "max_seq_len")

_factory_lock = threading.Lock()
_factory_installed = False


def _client_factory() -> httpx2.Client:
    return httpx2.Client(
        transport=GuardedTransport(),
        event_hooks={"request": [hf_request_event_hook]},
        follow_redirects=True,
        timeout=float(conf.get("CATALOG_HTTP_TIMEOUT")),
        trust_env=False,
    )


def install_client_factory() -> None:
    """Route every huggingface_hub request in this process through the guarded transport (once)."""
    global _factory_installed
    if _factory_installed:
        return
    with _factory_lock:
        if not _factory_installed:
            set_client_factory(_client_factory)
            _factory_installed = True


@dataclass
class HubSnapshot:
    repo_id: str
    sha: str
    unchanged: bool
    downloads: int | None = None
    likes: int | None = None
    last_modified: str | None = None
    licence_raw: Any = None
    licence_name: str | None = None
    tags: list[str] = field(default_factory=list)
    parameters_total: int | None = None
    context_window: int | None = None
    gated: bool = False
    pipeline_tag: str | None = None
    library_name: str | None = None
    author: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _translate_http_error(exc: HfHubHTTPError, repo_id: str) -> SourceError:
    response = getattr(exc, "response", None)
    if isinstance(exc, RepositoryNotFoundError | RevisionNotFoundError):
        return SourceNotFound(f"Repository not found on the Hub: {repo_id}")
    if response is None:
        return SourceError(f"Hub error for {repo_id}: {exc.__class__.__name__}")
    error = classify_status(response.status_code, response.headers.get("Retry-After"), str(response.url))
    return error or SourceError(f"Hub error for {repo_id}: {response.status_code}")


def _call(func: Any, repo_id: str, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except SourceError:
        raise
    except (OfflineModeIsEnabled, httpx2.ConnectError) as exc:
        raise SourceOffline(f"The Hub is not reachable ({exc.__class__.__name__})") from exc
    except httpx2.TimeoutException as exc:
        raise SourceTransient(f"Timed out talking to the Hub for {repo_id}") from exc
    except (httpx2.RemoteProtocolError, httpx2.ReadError) as exc:
        raise SourceTransient(f"Connection to the Hub dropped for {repo_id}") from exc
    except HfHubHTTPError as exc:
        raise _translate_http_error(exc, repo_id) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceMalformed(f"Malformed JSON from the Hub for {repo_id}") from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceMalformed(f"Unexpected answer from the Hub for {repo_id}: {exc.__class__.__name__}") from exc
    except httpx2.HTTPError as exc:
        raise SourceTransient(f"HTTP error talking to the Hub for {repo_id}: {exc.__class__.__name__}") from exc


def _context_from_config(config: Any) -> int | None:
    if not isinstance(config, dict):
        raise SourceMalformed("config.json is not a JSON object")
    candidates = [config]
    for nested in ("text_config", "llm_config", "language_config"):
        if isinstance(config.get(nested), dict):
            candidates.append(config[nested])
    for candidate in candidates:
        for key in CONTEXT_KEYS:
            value = candidate.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000_000:
                return value
    return None


def fetch_hub_entry(repo_id: str, *, known_sha: str = "") -> HubSnapshot:
    """Read one model repository from the Hub. Raises a SourceError subclass on failure."""
    install_client_factory()
    endpoint = conf.hf_endpoint()
    token: str | bool = str(conf.get("CATALOG_HF_TOKEN")) or False
    timeout = float(conf.get("CATALOG_HTTP_TIMEOUT"))
    api = HfApi(endpoint=endpoint, token=token)
    info = _call(api.model_info, repo_id, repo_id, expand=EXPAND, timeout=timeout)
    sha = info.sha or ""
    if not sha:
        raise SourceMalformed(f"The Hub answer for {repo_id} has no sha")
    snapshot = HubSnapshot(
        repo_id=repo_id,
        sha=sha,
        unchanged=bool(known_sha) and sha == known_sha,
        downloads=info.downloads if isinstance(info.downloads, int) else None,
        likes=info.likes if isinstance(info.likes, int) else None,
    )
    if snapshot.unchanged:
        return snapshot
    card = info.card_data
    card_dict: dict[str, Any] = card.to_dict() if card is not None else {}
    tags = [t for t in (info.tags or []) if isinstance(t, str)]
    licence_raw = card_dict.get("license")
    if not licence_raw:
        licence_raw = next((t.split(":", 1)[1] for t in tags if t.startswith("license:")), None)
    safetensors = info.safetensors
    snapshot.last_modified = info.last_modified.isoformat() if isinstance(info.last_modified, datetime) else None
    snapshot.licence_raw = licence_raw
    snapshot.licence_name = card_dict.get("license_name") if isinstance(card_dict.get("license_name"), str) else None
    snapshot.tags = tags[:100]
    snapshot.parameters_total = safetensors.total if safetensors is not None and safetensors.total else None
    snapshot.gated = bool(info.gated)
    snapshot.pipeline_tag = info.pipeline_tag
    snapshot.library_name = info.library_name
    snapshot.author = info.author
    snapshot.context_window = _download_context_window(repo_id, sha, endpoint, token, timeout, snapshot)
    return snapshot


def _download_context_window(
    repo_id: str, sha: str, endpoint: str, token: str | bool, timeout: float, snapshot: HubSnapshot
) -> int | None:
    cache_dir = Path(conf.hf_cache_dir())
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        path = _call(
            hf_hub_download,
            repo_id,
            repo_id,
            "config.json",
            revision=sha,
            endpoint=endpoint,
            token=token,
            cache_dir=str(cache_dir),
            etag_timeout=timeout,
        )
    except SourceNotFound:
        snapshot.notes.append("no config.json")
        return None
    except SourceError:
        if snapshot.gated:
            snapshot.notes.append("config.json is gated")
            return None
        raise
    except (EntryNotFoundError, GatedRepoError) as exc:
        snapshot.notes.append(f"config.json unavailable ({exc.__class__.__name__})")
        return None
    except LocalEntryNotFoundError as exc:
        if isinstance(exc.__cause__, httpx2.TimeoutException):
            raise SourceTransient(f"Timed out fetching config.json for {repo_id}") from exc
        raise SourceOffline("The Hub is not reachable for config.json") from exc
    max_bytes = int(conf.get("CATALOG_MAX_RESPONSE_BYTES"))
    raw = Path(path).read_bytes()[: max_bytes + 1]
    try:
        config = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceMalformed(f"Malformed config.json for {repo_id}") from exc
    return _context_from_config(config)
