"""Start and drive the loopback OpenID Connect provider (tests/support/oidc_provider, node oidc-provider).

The provider is a real OIDC implementation; this module only starts it on a free loopback port, waits
until its discovery document answers, registers clients through Dynamic Client Registration (RFC 7591)
and plays the browser on the provider's side of a login (the headless login form).
"""

from __future__ import annotations

import json
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent / "support" / "oidc_provider"
START_TIMEOUT = 30.0


class OidcProviderError(RuntimeError):
    pass


@dataclass
class RegisteredClient:
    client_id: str
    client_secret: str
    redirect_uri: str


class OidcProvider:
    """A running node oidc-provider process."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"

    # -- lifecycle -------------------------------------------------------------------------------
    @classmethod
    def start(cls) -> OidcProvider:
        node = shutil.which("node")
        if node is None:
            raise OidcProviderError("node is not installed")
        if not (PROJECT_DIR / "node_modules" / "oidc-provider").is_dir():
            raise OidcProviderError(f"run `npm ci --prefix {PROJECT_DIR}` first (oidc-provider is not installed)")
        process = subprocess.Popen(
            [node, str(PROJECT_DIR / "server.mjs")],
            cwd=PROJECT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        port = cls._read_port(process, deadline)
        provider = cls(process, port)
        provider._wait_ready(deadline)
        return provider

    @staticmethod
    def _read_port(process: subprocess.Popen[str], deadline: float) -> int:
        assert process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        try:
            while time.monotonic() < deadline:
                if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    line = process.stdout.readline()
                    if not line:
                        break
                    if line.startswith("LISTENING "):
                        return int(line.split()[1])
        finally:
            selector.close()
        process.kill()
        stderr = process.stderr.read() if process.stderr else ""
        raise OidcProviderError(f"oidc-provider did not start: {stderr[-2000:]}")

    def _wait_ready(self, deadline: float) -> None:
        """Poll the discovery URL until it answers (no sleeping: each failed attempt waits on the
        process itself, which also notices an early exit)."""
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                response = requests.get(self.discovery_url, timeout=2)
                if response.status_code == 200 and response.json().get("issuer") == self.issuer:
                    return
            except requests.RequestException as exc:
                last_error = exc
            try:
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise OidcProviderError(f"oidc-provider exited with {self.process.returncode}")
        self.stop()
        raise OidcProviderError(f"oidc-provider not ready: {last_error}")

    def stop(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    # -- protocol helpers ------------------------------------------------------------------------
    def register_client(self, redirect_uri: str, *, auth_method: str = "client_secret_post") -> RegisteredClient:
        response = requests.post(
            f"{self.issuer}/reg",
            json={
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": auth_method,
            },
            timeout=5,
        )
        if response.status_code != 201:
            raise OidcProviderError(f"client registration failed: {response.status_code} {response.text}")
        data = response.json()
        return RegisteredClient(data["client_id"], data["client_secret"], redirect_uri)

    def authorize(
        self,
        authorize_url: str,
        *,
        sub: str,
        claims: dict[str, Any] | None = None,
        faults: dict[str, Any] | None = None,
    ) -> str:
        """Play the browser at the provider: follow the authorization request, sign `sub` in and
        return the redirect back to the relying party (its callback URL with code and state)."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=5)
        if response.status_code not in (302, 303):
            return self._final_redirect(response)
        interaction_url = urljoin(self.issuer, response.headers["Location"])
        if not interaction_url.startswith(f"{self.issuer}/interaction/"):
            return interaction_url  # an error redirect straight back to the client
        account = {"sub": sub, "claims": claims or {}, "faults": faults or {}}
        response = session.post(
            f"{interaction_url}/login", data={"account": json.dumps(account)}, allow_redirects=False, timeout=5
        )
        while response.status_code in (302, 303):
            location = urljoin(self.issuer, response.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            response = session.get(location, allow_redirects=False, timeout=5)
        return self._final_redirect(response)

    @staticmethod
    def _final_redirect(response: requests.Response) -> str:
        raise OidcProviderError(f"unexpected answer from the provider: {response.status_code} {response.text[:500]}")
