"""A loopback server speaking the parts of the Hugging Face Hub API that ``huggingface_hub`` calls for us.

* ``GET /api/models/<namespace>/<name>`` (and ``/revision/<rev>``) → model info JSON, honouring ``expand``.
* ``HEAD`` / ``GET /<namespace>/<name>/resolve/<revision>/<filename>`` → the file, with ``X-Repo-Commit`` and
  ``ETag`` (what ``hf_hub_download`` requires), ``X-Error-Code`` on 404s like the real Hub.

Faults can be injected per repository (consumed in order, one per matching request): ``429`` (with
``Retry-After``), ``500``, ``slow`` (the server waits before answering, to trip client timeouts), ``truncated``
(a body shorter than its Content-Length), ``malformed`` (not JSON), ``redirect`` (to another host), ``huge``.

Usage::

    with HubServer() as hub:
        hub.add_repo("acme/model-7b", licence="apache-2.0", parameters=7_000_000_000, context=32768)
        HfApi(endpoint=hub.url).model_info("acme/model-7b")
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.http import LoopbackHTTPServer


@dataclass
class Repo:
    repo_id: str
    licence: str | list[str] | None = "apache-2.0"
    licence_name: str | None = None
    parameters: int | None = 7_000_000_000
    context: int | None = 32768
    downloads: int = 1000
    likes: int = 10
    tags: list[str] = field(default_factory=lambda: ["transformers", "safetensors", "text-generation"])
    gated: bool | str = False
    revision: int = 0
    config: dict[str, Any] | None = None
    raw_config: bytes | None = None
    extra_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def sha(self) -> str:
        return hashlib.sha1(f"{self.repo_id}@{self.revision}".encode()).hexdigest()  # noqa: S324 - a fake commit id

    def config_bytes(self) -> bytes | None:
        if self.raw_config is not None:
            return self.raw_config
        if self.config is not None:
            return json.dumps(self.config).encode()
        if self.context is None:
            return None
        return json.dumps({"model_type": "llama", "max_position_embeddings": self.context}).encode()

    def info(self) -> dict[str, Any]:
        card: dict[str, Any] = {"tags": list(self.tags)}
        if self.licence is not None:
            card["license"] = self.licence
        if self.licence_name:
            card["license_name"] = self.licence_name
        tags = list(self.tags)
        if isinstance(self.licence, str):
            tags.append(f"license:{self.licence}")
        data: dict[str, Any] = {
            "_id": hashlib.md5(self.repo_id.encode()).hexdigest()[:24],  # noqa: S324 - a fake object id
            "id": self.repo_id,
            "author": self.repo_id.split("/")[0],
            "sha": self.sha,
            "lastModified": f"2025-01-{1 + self.revision % 28:02d}T12:00:00.000Z",
            "private": False,
            "gated": self.gated,
            "disabled": False,
            "downloads": self.downloads,
            "likes": self.likes,
            "library_name": "transformers",
            "pipeline_tag": "text-generation",
            "tags": tags,
            "cardData": card,
            "siblings": [{"rfilename": "config.json"}, {"rfilename": "README.md"}],
            "createdAt": "2024-06-01T00:00:00.000Z",
        }
        if self.parameters is not None:
            data["safetensors"] = {"parameters": {"BF16": self.parameters}, "total": self.parameters}
        return data


@dataclass
class Fault:
    kind: str
    retry_after: str | None = None
    delay: float = 0.0
    location: str = ""


class HubServer(LoopbackHTTPServer):
    thread_name = "hub-server"

    def __init__(self) -> None:
        super().__init__()
        self.repos: dict[str, Repo] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    # -- configuration -------------------------------------------------------------------------------------
    def add_repo(self, repo_id: str, **kwargs: Any) -> Repo:
        with self._lock:
            repo = Repo(repo_id=repo_id, **kwargs)
            self.repos[repo_id] = repo
            return repo

    def update_repo(self, repo_id: str, **changes: Any) -> Repo:
        """Change facts and make a new commit (new sha), like a push to the repository."""
        with self._lock:
            repo = self.repos[repo_id]
            for name, value in changes.items():
                setattr(repo, name, value)
            repo.revision += 1
            return repo

    def set_popularity(self, repo_id: str, *, downloads: int, likes: int) -> None:
        """Counters move without a commit (the sha stays the same)."""
        with self._lock:
            self.repos[repo_id].downloads = downloads
            self.repos[repo_id].likes = likes

    def inject(self, repo_id: str, kind: str, *, times: int = 1, **kwargs: Any) -> None:
        with self._lock:
            self.faults.setdefault(repo_id, []).extend(Fault(kind=kind, **kwargs) for _ in range(times))

    def count(self, repo_id: str | None = None, method: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for m, path in self.requests
                if (repo_id is None or f"/{repo_id}/" in path + "/" or path.endswith(f"/{repo_id}"))
                and (method is None or m == method)
            )

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def _take_fault(self, repo_id: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(repo_id)
            if queue:
                return queue.pop(0)
            return None

    # -- life cycle ----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.origin

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _make_handler(self)


def _split_repo_path(rest: str) -> tuple[str, str]:
    parts = rest.split("/")
    if len(parts) >= 2:
        return "/".join(parts[:2]), "/".join(parts[2:])
    return parts[0], ""


def _make_handler(server: HubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        # -- helpers ---------------------------------------------------------------------------------------
        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None, *, head: bool = False):
            self.send_response(status)
            headers = dict(headers or {})
            headers.setdefault("Content-Type", "application/json")
            headers.setdefault("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _error(self, status: int, code: str, message: str, *, head: bool = False) -> None:
            body = json.dumps({"error": message}).encode()
            self._send(status, body, {"X-Error-Code": code, "X-Error-Message": message}, head=head)

        def _apply_fault(self, fault: Fault, body: bytes, *, head: bool) -> bool:
            """Answer according to the fault; True when the request was answered."""
            if fault.kind == "slow":
                time.sleep(fault.delay)  # server-side latency, not test synchronisation
                return False
            if fault.kind == "429":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                self._send(429, b'{"error":"rate limited"}', headers, head=head)
                return True
            if fault.kind == "500":
                self._send(500, b'{"error":"internal"}', head=head)
                return True
            if fault.kind == "malformed":
                self._send(200, b'{"id": "broken", "sha": ', head=head)
                return True
            if fault.kind == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) + 100))
                self.end_headers()
                if not head:
                    self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return True
            if fault.kind == "redirect":
                self._send(302, b"", {"Location": fault.location}, head=head)
                return True
            if fault.kind == "huge":
                big = b'{"id": "x", "pad": "' + b"x" * (8 * 1024 * 1024) + b'"}'
                self._send(200, big, head=head)
                return True
            raise ValueError(fault.kind)

        # -- routes ----------------------------------------------------------------------------------------
        def _route(self, head: bool) -> None:
            parsed = urlsplit(self.path)
            path = unquote(parsed.path)
            with server._lock:
                server.requests.append(("HEAD" if head else self.command, path))
            if path.startswith("/api/models/"):
                self._model_info(path[len("/api/models/") :], parse_qs(parsed.query), head=head)
            elif "/resolve/" in path:
                self._resolve(path.lstrip("/"), head=head)
            else:
                self._error(404, "NotFound", "Not found", head=head)

        def _model_info(self, rest: str, query: dict[str, list[str]], *, head: bool) -> None:
            repo_id, _tail = _split_repo_path(rest)
            repo = server.repos.get(repo_id)
            data = repo.info() if repo else None
            body = json.dumps(data).encode() if data else b""
            fault = server._take_fault(repo_id)
            if fault is not None and self._apply_fault(fault, body or b"{}", head=head):
                return
            if repo is None or data is None:
                self._error(404, "RepoNotFound", "Repository not found", head=head)
                return
            expand = query.get("expand") or query.get("expand[]")
            if expand:
                data = {k: v for k, v in data.items() if k in expand or k in ("id", "_id")}
            self._send(200, json.dumps(data).encode(), head=head)

        def _resolve(self, rest: str, *, head: bool) -> None:
            before, _sep, after = rest.partition("/resolve/")
            repo = server.repos.get(before)
            revision, _sep2, filename = after.partition("/")
            fault = server._take_fault(before)
            if repo is None:
                if fault is not None and self._apply_fault(fault, b"{}", head=head):
                    return
                self._error(404, "RepoNotFound", "Repository not found", head=head)
                return
            content = repo.config_bytes() if filename == "config.json" else repo.extra_files.get(filename)
            if fault is not None and self._apply_fault(fault, content or b"{}", head=head):
                return
            if revision not in (repo.sha, "main"):
                self._error(404, "RevisionNotFound", "Revision not found", head=head)
                return
            if content is None:
                self.send_response(404)
                body = b'{"error":"Entry not found"}'
                self.send_header("X-Error-Code", "EntryNotFound")
                self.send_header("X-Repo-Commit", repo.sha)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                return
            etag = '"' + hashlib.sha256(content).hexdigest() + '"'
            self._send(
                200,
                content,
                {"X-Repo-Commit": repo.sha, "ETag": etag, "Content-Type": "application/octet-stream"},
                head=head,
            )

        def do_GET(self) -> None:
            self._route(head=False)

        def do_HEAD(self) -> None:
            self._route(head=True)

    return Handler


@contextmanager
def running_hub() -> Iterator[HubServer]:
    with HubServer() as hub:
        yield hub
