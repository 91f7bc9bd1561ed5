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
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent / "support" / "oidc_provider"
START_TIMEOUT = 45.0


class OidcProviderError(RuntimeError):
    pass


@dataclass
class RegisteredClient:
    client_id: str
    client_secret: str
    redirect_uri: str


class OidcProvider:
    """A running node oidc-provider process."""

    def __init__(self, process: subprocess.Popen[str], port: int, stderr_file: IO[str]) -> None:
        self.process = process
        self.stderr_file = stderr_file
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"

    # -- lifecycle -------------------------------------------------------------------------------
    @classmethod
    def start(cls, attempts: int = 3) -> OidcProvider:
        """Start the provider; a start that fails (no port line, or no discovery answer, within
        START_TIMEOUT) is retried with a fresh process, and the final error says what each try saw."""
        node = shutil.which("node")
        if node is None:
            raise OidcProviderError("node is not installed")
        if not (PROJECT_DIR / "node_modules" / "oidc-provider").is_dir():
            raise OidcProviderError(f"run `npm ci --prefix {PROJECT_DIR}` first (oidc-provider is not installed)")
        failures: list[str] = []
        for _ in range(attempts):
            try:
                return cls._start_once(node)
            except OidcProviderError as exc:
                failures.append(str(exc))
        raise OidcProviderError("oidc-provider did not start: " + " | ".join(failures))

    @classmethod
    def _start_once(cls, node: str) -> OidcProvider:
        # stderr goes to a file, not a pipe: nobody reads it while tests run, and a full pipe would
        # block the provider on its next warning.
        stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [node, str(PROJECT_DIR / "server.mjs")],
            cwd=PROJECT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
        )
        started = time.monotonic()
        deadline = started + START_TIMEOUT
        try:
            port = cls._read_port(process, started, deadline)
        except OidcProviderError as exc:
            stderr_file.seek(0)
            stderr = stderr_file.read()[-2000:].strip()
            stderr_file.close()
            raise OidcProviderError(f"{exc}; stderr: {stderr}") from None
        provider = cls(process, port, stderr_file)
        provider._wait_ready(deadline)
        return provider

    @staticmethod
    def _read_port(process: subprocess.Popen[str], started: float, deadline: float) -> int:
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
        elapsed = time.monotonic() - started
        returncode = process.poll()
        if returncode is None:
            process.kill()
            process.wait(timeout=5)
            what = f"no LISTENING line after {elapsed:.1f} s (killed)"
        else:
            what = f"exited with code {returncode} after {elapsed:.1f} s"
        if process.stdout:
            process.stdout.close()
        raise OidcProviderError(what)

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
            self.stop()
            raise OidcProviderError(f"exited with code {self.process.returncode} before answering")
        self.stop()
        raise OidcProviderError(f"discovery did not answer within {START_TIMEOUT:.0f} s: {last_error}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout:
            self.process.stdout.close()
        self.stderr_file.close()

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
