"""Outbound HTTP for the catalog sources: configured hosts only, redirects re-checked, bodies size-capped.

* ``fetch_json`` (models.dev-format catalogs) uses ``requests`` without automatic redirects: every hop is checked
  against the allow-list before it is followed, the body is streamed and cut off at the cap.
* ``GuardedTransport`` is the transport of the ``httpx2`` client that ``huggingface_hub`` uses (installed with
  ``huggingface_hub.set_client_factory``): it checks every request it sends, redirects included, and caps bodies.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx2
import requests

from .. import conf
from .errors import (
    DisallowedHost,
    ResponseTooLarge,
    SourceError,
    SourceMalformed,
    SourceNotFound,
    SourceOffline,
    SourceRateLimited,
    SourceTransient,
)

MAX_REDIRECTS = 5


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


def allowed_hosts() -> set[str]:
    hosts = {_host_of(conf.hf_endpoint())}
    if conf.modelsdev_url():
        hosts.add(_host_of(conf.modelsdev_url()))
    hosts.update(str(h).lower() for h in conf.get("CATALOG_ALLOWED_HOSTS") or [])
    hosts.discard("")
    return hosts


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise DisallowedHost(f"Scheme not allowed: {parts.scheme or '(none)'}")
    host = _host_of(url)
    bare = (parts.hostname or "").lower()
    allowed = allowed_hosts()
    if host not in allowed and bare not in allowed:
        raise DisallowedHost(f"Host not allowed: {host}")


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def classify_status(status: int, retry_after: str | None, url: str) -> SourceError | None:
    if status < 400:
        return None
    if status == 429:
        return SourceRateLimited(f"429 Too Many Requests from {url}", retry_after=parse_retry_after(retry_after))
    if status >= 500 or status == 408:
        return SourceTransient(f"{status} from {url}", retry_after=parse_retry_after(retry_after))
    if status == 404:
        return SourceNotFound(f"404 Not Found: {url}")
    return SourceError(f"{status} from {url}")


def fetch_json(url: str, *, max_bytes: int | None = None, timeout: float | None = None) -> Any:
    """GET a JSON document from an allowed host. Raises a SourceError subclass on any failure."""
    max_bytes = int(max_bytes or conf.get("CATALOG_MAX_CATALOG_BYTES"))
    timeout = float(timeout or conf.get("CATALOG_HTTP_TIMEOUT"))
    current = url
    with requests.Session() as session:
        session.trust_env = False
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current)
            try:
                response = session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=timeout,
                    headers={"Accept": "application/json", "User-Agent": "Charter catalog refresh"},
                )
            except requests.exceptions.ConnectionError as exc:
                if isinstance(exc, requests.exceptions.ConnectTimeout):
                    raise SourceTransient(f"Timed out connecting to {current}") from exc
                raise SourceOffline(f"Cannot reach {_host_of(current)}: {exc.__class__.__name__}") from exc
            except requests.exceptions.Timeout as exc:
                raise SourceTransient(f"Timed out reading {current}") from exc
            except requests.exceptions.RequestException as exc:
                raise SourceError(f"Request to {current} failed: {exc.__class__.__name__}") from exc
            with response:
                if response.is_redirect and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                error = classify_status(response.status_code, response.headers.get("Retry-After"), current)
                if error is not None:
                    raise error
                body = _read_capped(response, max_bytes, current)
            try:
                return json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise SourceMalformed(f"Malformed JSON from {current}: {exc}") from exc
    raise SourceError(f"Too many redirects from {url}")


def _read_capped(response: requests.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"Response from {url} is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_content(chunk_size=65536):
            total += len(chunk)
            if total > max_bytes:
                raise ResponseTooLarge(f"Response from {url} is larger than {max_bytes} bytes")
            chunks.append(chunk)
    except requests.exceptions.ChunkedEncodingError as exc:
        raise SourceMalformed(f"Truncated response from {url}") from exc
    except requests.exceptions.ConnectionError as exc:
        raise SourceTransient(f"Connection dropped while reading {url}") from exc
    return b"".join(chunks)


class _CappedStream(httpx2.SyncByteStream):
    def __init__(self, inner: Any, max_bytes: int, url: str) -> None:
        self._inner = inner
        self._max_bytes = max_bytes
        self._url = url

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        for chunk in self._inner:
            total += len(chunk)
            if total > self._max_bytes:
                raise ResponseTooLarge(f"Response from {self._url} is larger than {self._max_bytes} bytes")
            yield chunk

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx2.BaseTransport):
    """Refuses hosts outside the allow-list (checked per hop, so redirects too) and caps response bodies."""

    def __init__(self, inner: httpx2.BaseTransport | None = None) -> None:
        self._inner = inner or httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        check_url(str(request.url))
        response = self._inner.handle_request(request)
        max_bytes = int(conf.get("CATALOG_MAX_RESPONSE_BYTES"))
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes and request.method != "HEAD":
            response.close()
            raise ResponseTooLarge(f"Response from {request.url} is larger than {max_bytes} bytes")
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_CappedStream(response.stream, max_bytes, str(request.url)),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()
