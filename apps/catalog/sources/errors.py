"""Errors a catalog source raises, classified by what the refresh job does with them."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not give an answer for one entry (or for the whole source)."""

    code = "error"
    retryable = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class SourceOffline(SourceError):
    """The host cannot be reached at all (no network, DNS failure, offline mode). Reported, never retried."""

    code = "offline"


class SourceTransient(SourceError):
    """A 5xx answer, a timeout or a dropped connection: retried with exponential backoff."""

    code = "transient"
    retryable = True


class SourceRateLimited(SourceTransient):
    """A 429 answer; ``retry_after`` carries the server's Retry-After when it sent one."""

    code = "rate_limited"


class SourceNotFound(SourceError):
    code = "not_found"


class SourceMalformed(SourceError):
    """The answer could not be parsed (truncated or malformed JSON, wrong shape)."""

    code = "malformed"


class DisallowedHost(SourceError):
    """An outbound request (or a redirect) pointed at a host that is not configured."""

    code = "disallowed_host"


class ResponseTooLarge(SourceError):
    code = "too_large"
