"""Fetching an identity provider's public documents (OIDC discovery, JWKS, SAML metadata) on an
admin's behalf: http(s) only, a connect/read timeout, a size cap, a bounded number of redirects, and
no link-local targets (cloud metadata services). Failures are reported in plain words."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3


class FetchError(Exception):
    """A document could not be fetched; ``str(exc)`` is a sentence for the admin."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes


def check_url(url: str) -> None:
    """Refuse anything but http(s) URLs with a host; refuse link-local addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Only http:// and https:// addresses can be used."))
    if not parts.hostname:
        raise FetchError(_("The address has no host name."))
    if parts.username or parts.password:
        raise FetchError(_("The address must not contain a user name or password."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(_("The host name %(host)s cannot be resolved.") % {"host": parts.hostname}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_link_local or address.is_multicast or address.is_unspecified:
            raise FetchError(
                _("The host %(host)s points to an address that cannot be used.") % {"host": parts.hostname}
            )


def fetch(url: str, *, accept: str = "*/*", timeout: float | None = None, max_bytes: int | None = None) -> Fetched:
    timeout = timeout or float(getattr(settings, "SSO_FETCH_TIMEOUT", DEFAULT_TIMEOUT))
    max_bytes = max_bytes or int(getattr(settings, "SSO_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    current = url
    with requests.Session() as session:
        session.trust_env = False  # no proxies from the environment for these requests
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current)
            try:
                response = session.get(
                    current, headers={"Accept": accept}, timeout=timeout, stream=True, allow_redirects=False
                )
            except requests.Timeout as exc:
                raise FetchError(
                    _("%(url)s did not answer within %(seconds)s seconds.") % {"url": current, "seconds": int(timeout)}
                ) from exc
            except requests.exceptions.SSLError as exc:
                raise FetchError(_("The TLS certificate of %(url)s is not valid.") % {"url": current}) from exc
            except requests.ConnectionError as exc:
                raise FetchError(_("Could not connect to %(url)s.") % {"url": current}) from exc
            except requests.RequestException as exc:
                raise FetchError(_("Could not fetch %(url)s.") % {"url": current}) from exc
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    current = urljoin(current, location)
                    continue
                if response.status_code != 200:
                    raise FetchError(
                        _("%(url)s answered with HTTP status %(status)s.")
                        % {"url": current, "status": response.status_code}
                    )
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(_("%(url)s is larger than %(kb)s KB.") % {"url": current, "kb": max_bytes // 1024})
                chunks: list[bytes] = []
                size = 0
                try:
                    for chunk in response.iter_content(chunk_size=16384):
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(
                                _("%(url)s is larger than %(kb)s KB.") % {"url": current, "kb": max_bytes // 1024}
                            )
                        chunks.append(chunk)
                except requests.RequestException as exc:
                    raise FetchError(_("The answer from %(url)s was cut off.") % {"url": current}) from exc
                return Fetched(
                    url=current,
                    status=response.status_code,
                    content_type=response.headers.get("Content-Type", ""),
                    body=b"".join(chunks),
                )
    raise FetchError(_("%(url)s redirects too many times.") % {"url": url})
