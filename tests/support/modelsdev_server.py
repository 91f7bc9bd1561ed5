"""A loopback server serving a models.dev-format catalog (``GET /api.json``), with fault injection.

Faults (consumed one per request, in order): ``429`` (with ``Retry-After``), ``500``, ``malformed`` (not JSON),
``truncated`` (a body shorter than its Content-Length), ``redirect`` (to ``location``), ``huge``, ``slow``.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.support.http import LoopbackHTTPServer


@dataclass
class Fault:
    kind: str
    retry_after: str | None = None
    delay: float = 0.0
    location: str = ""


def sample_document() -> dict[str, Any]:
    """A small catalog in the models.dev shape: a proprietary API model and an open-weights model."""
    return {
        "acme": {
            "id": "acme",
            "name": "Acme AI",
            "env": ["ACME_API_KEY"],
            "npm": "@ai-sdk/openai-compatible",
            "doc": "https://acme.example/docs",
            "models": {
                "acme-large": {
                    "id": "acme-large",
                    "name": "Acme Large",
                    "family": "acme",
                    "attachment": True,
                    "reasoning": True,
                    "tool_call": True,
                    "open_weights": False,
                    "release_date": "2025-03-01",
                    "last_updated": "2025-03-01",
                    "knowledge": "2024-10",
                    "modalities": {"input": ["text", "image"], "output": ["text"]},
                    "limit": {"context": 200000, "output": 32000},
                    "cost": {"input": 3.0, "output": 15.0},
                },
                "acme-open-8b": {
                    "id": "acme-open-8b",
                    "name": "Acme Open 8B",
                    "family": "acme-open",
                    "attachment": False,
                    "reasoning": False,
                    "tool_call": True,
                    "open_weights": True,
                    "release_date": "2024-07",
                    "last_updated": "2024-07-23",
                    "modalities": {"input": ["text"], "output": ["text"]},
                    "limit": {"context": 128000, "output": 8192},
                    "cost": {"input": 0.1, "output": 0.2},
                },
            },
        }
    }


class ModelsDevServer(LoopbackHTTPServer):
    thread_name = "modelsdev-server"

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.document = document if document is not None else sample_document()
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def set_document(self, document: dict[str, Any]) -> None:
        with self._lock:
            self.document = copy.deepcopy(document)

    def update_model(self, provider: str, model: str, **changes: Any) -> None:
        with self._lock:
            self.document[provider]["models"][model].update(changes)

    def inject(self, kind: str, *, times: int = 1, **kwargs: Any) -> None:
        with self._lock:
            self.faults.extend(Fault(kind=kind, **kwargs) for _ in range(times))

    @property
    def url(self) -> str:
        return f"{self.origin}/api.json"

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _make_handler(self)


def _make_handler(server: ModelsDevServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            headers = dict(headers or {})
            headers.setdefault("Content-Type", "application/json")
            headers.setdefault("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            with server._lock:
                server.requests.append(path)
                fault = server.faults.pop(0) if server.faults else None
                body = json.dumps(server.document).encode()
            if path != "/api.json":
                self._send(404, b'{"error":"not found"}')
                return
            if fault is not None:
                if fault.kind == "slow":
                    time.sleep(fault.delay)  # server-side latency, not test synchronisation
                elif fault.kind == "429":
                    self._send(429, b"{}", {"Retry-After": fault.retry_after} if fault.retry_after else {})
                    return
                elif fault.kind == "500":
                    self._send(500, b"{}")
                    return
                elif fault.kind == "malformed":
                    self._send(200, body[: len(body) // 2])
                    return
                elif fault.kind == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                elif fault.kind == "redirect":
                    self._send(302, b"", {"Location": fault.location})
                    return
                elif fault.kind == "huge":
                    self._send(200, b'{"pad": "' + b"x" * (3 * 1024 * 1024) + b'"}')
                    return
            self._send(200, body)

    return Handler
