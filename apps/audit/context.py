"""Request context (IP, user agent, request id) that audit events pick up without threading it
through every service call. Set by apps.core.middleware.RequestIdMiddleware."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def get_request_context() -> RequestContext:
    return _current.get() or _EMPTY


def set_request_context(ctx: RequestContext) -> object:
    return _current.set(ctx)


def reset_request_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
