"""Benchmark: the registry list API with 10,000 registered models, and catalog search over the bundled catalog.

Run: ``.venv/bin/python bench/registry_list.py`` (``bench/catalog_search.py`` runs the catalog part only).

It creates its own PostgreSQL database (``BENCH_DATABASE_URL``, default: database ``charter_bench_catalog`` on the
server of ``DATABASE_URL``, or on 127.0.0.1:5432), seeds the bundled models.dev catalog and 10,000
registered models in one organization, serves the app with gunicorn on a loopback port, and measures with 8
concurrent clients (bounded request counts). It prints p50/p95 and the SQL query counts per request and writes the
results into docs/performance.md between its own markers. Targets: registry list p95 < 100 ms and at most 5 SQL
queries per request whatever the page size; catalog search p95 < 200 ms. A missed target is reported (exit status
1 only with BENCH_STRICT=1: a shared, loaded machine misses it without any regression).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# its own database on the test PostgreSQL (the one DATABASE_URL points at, e.g. from scripts/services.sh)
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or (
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/charter").rsplit("/", 1)[0]
    + "/charter_bench_catalog"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("CONN_MAX_AGE", "60")

CLIENTS = 8
REQUESTS_PER_CLIENT = 40
REGISTERED = 10_000
SEARCHES = ["llama", "gpt", "claude", "qwen 7b", "mistral", "gemini flash", "deepseek", "o3", "embed", "vision"]


def _recreate_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> dict[str, Any]:
    import django

    _recreate_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)

    from django_scopes import scopes_disabled

    from apps.accounts.models import User
    from apps.accounts.services import api_token_create
    from apps.catalog.demo import seed_demo
    from apps.catalog.models import CatalogEntry
    from apps.core.tenancy import org_scope
    from apps.organizations.models import Membership, Organization
    from apps.registry.models import Hosting, RegisteredModel, RegistryStatus

    started = time.perf_counter()
    with scopes_disabled():
        seed_demo(organization=None, members={})
    seed_seconds = time.perf_counter() - started
    org = Organization.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("viewer@bench.example", "bench-password-1234", full_name="Bench Viewer")
    with org_scope(org):
        membership = Membership(organization=org, user=user)
        membership.set_roles(["viewer"])
        membership.save()
        _token, raw = api_token_create(organization=org, actor=user, name="bench")
        statuses, hostings = list(RegistryStatus.values), list(Hosting.values)
        entries = list(CatalogEntry.objects.values_list("pk", "display_name", "provider_name"))
        rows = []
        for n in range(REGISTERED):
            if n < len(entries):
                pk, name, provider = entries[n]
                rows.append(
                    RegisteredModel(organization=org, catalog_entry_id=pk, name=f"{name} #{n}", provider=provider)
                )
            else:
                rows.append(RegisteredModel(organization=org, name=f"Private model {n}", provider="In-house"))
            rows[-1].status = statuses[n % len(statuses)]
            rows[-1].hosting = hostings[n % len(hostings)]
            rows[-1].owner = user
        RegisteredModel.objects.bulk_create(rows, batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"org": org, "user": user, "token": raw, "catalog_size": len(entries), "seed_seconds": seed_seconds}


def query_counts(ctx: dict[str, Any]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {ctx['token']}")
    url = "/api/v1/orgs/bench/registry/models/"
    client.get(url)  # the token's first use records last_used_at (once per interval): not a per-request cost
    counts = {}
    for size in (1, 50, 200):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": size})
        assert response.status_code == 200, response.content[:500]
        assert len(response.json()["results"]) == size
        counts[f"registry list, page_size={size}"] = len(queries)
    for q in ("llama", "gpt"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/orgs/bench/catalog/models/", {"q": q, "page_size": 50})
        assert response.status_code == 200
        counts[f"catalog search q={q}"] = len(queries)
    return counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("BENCH_WORKERS", "3"),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except requests.RequestException:
            pass
        threading.Event().wait(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def load(base: str, token: str, paths: list[str]) -> list[float]:
    """8 clients, each sending REQUESTS_PER_CLIENT requests (after 3 warm-ups); returns latencies in ms.

    The clients use http.client (light on CPU: they share the 2 cores with the server and the database).
    """
    import http.client
    from urllib.parse import urlsplit

    host = urlsplit(base)

    def client(index: int) -> list[float]:
        timings = []
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        for n in range(REQUESTS_PER_CLIENT + 3):
            path = paths[(index + n) % len(paths)]
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            connection.close()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
            if n >= 3:
                timings.append(elapsed)
        return timings

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    return [t for timings in results for t in timings]


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
    }


def write_section(marker: str, body: str) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    block = f"<!-- {marker}:start -->\n{body.rstrip()}\n<!-- {marker}:end -->"
    pattern = re.compile(rf"<!-- {marker}:start -->.*?<!-- {marker}:end -->", re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load:.2f} at the end of the run"
    )


def main(parts: tuple[str, ...] = ("registry", "catalog")) -> int:
    ctx = setup()
    counts = query_counts(ctx)
    proc, base = start_server()
    ok = True
    try:
        results: dict[str, dict[str, float]] = {}
        if "registry" in parts:
            registry_paths = [
                "/api/v1/orgs/bench/registry/models/?page_size=50",
                "/api/v1/orgs/bench/registry/models/?page_size=50&status=approved",
                "/api/v1/orgs/bench/registry/models/?page_size=50&hosting=self_hosted",
                "/api/v1/orgs/bench/registry/models/?page_size=50&kind=open_weights",
            ]
            results["registry"] = summary(load(base, ctx["token"], registry_paths))
        if "catalog" in parts:
            catalog_paths = [
                f"/api/v1/orgs/bench/catalog/models/?q={q.replace(' ', '+')}&page_size=50" for q in SEARCHES
            ]
            results["catalog"] = summary(load(base, ctx["token"], catalog_paths))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    print(f"machine: {machine()}; catalog entries: {ctx['catalog_size']}; seed {ctx['seed_seconds']:.1f} s")
    for label, count in counts.items():
        print(f"SQL queries per request, {label}: {count}")
    for name, stats in results.items():
        print(
            f"{name}: n={stats['n']:.0f} p50={stats['p50']:.1f} ms p95={stats['p95']:.1f} ms max={stats['max']:.1f} ms"
        )

    registry_queries = [v for k, v in counts.items() if k.startswith("registry")]
    if "registry" in results:
        stats = results["registry"]
        passed = stats["p95"] < 100 and max(registry_queries) <= 5
        ok = ok and passed
        write_section(
            "registry_list",
            "\n".join(
                [
                    "## Registry list API (bench/registry_list.py)",
                    "",
                    f"{REGISTERED:,} registered models in one organization; {CLIENTS} concurrent clients x "
                    f"{REQUESTS_PER_CLIENT} requests (pages of 50; unfiltered and filtered by status, hosting, "
                    f"kind), token "
                    f"authentication, gunicorn ({os.environ.get('BENCH_WORKERS', '3')} sync workers) and PostgreSQL "
                    f"on loopback. Machine: {machine()}.",
                    "",
                    "| what | requests | p50 ms | p95 ms | max ms |",
                    "|---|---:|---:|---:|---:|",
                    f"| GET /api/v1/orgs/…/registry/models/ | {stats['n']:.0f} | {stats['p50']:.1f} | "
                    f"{stats['p95']:.1f} | {stats['max']:.1f} |",
                    "",
                    "SQL queries per request: "
                    + ", ".join(f"{k.split(', ')[1]}: {v}" for k, v in counts.items() if k.startswith("registry"))
                    + ".",
                    "",
                    "Target: p95 < 100 ms and at most 5 queries whatever the page size — "
                    f"{'met' if passed else 'NOT met'}.",
                ]
            ),
        )
    if "catalog" in results:
        stats = results["catalog"]
        passed = stats["p95"] < 200
        ok = ok and passed
        write_section(
            "catalog_search",
            "\n".join(
                [
                    "## Catalog search API (bench/catalog_search.py)",
                    "",
                    f"The full bundled models.dev catalog ({ctx['catalog_size']:,} entries) plus the seeded "
                    f"open-weights models; {CLIENTS} concurrent clients x {REQUESTS_PER_CLIENT} searches over "
                    f"{len(SEARCHES)} queries (trigram-indexed `search_text`), page size 50. Seeding the catalog "
                    f"took {ctx['seed_seconds']:.1f} s. Machine: {machine()}.",
                    "",
                    "| what | requests | p50 ms | p95 ms | max ms |",
                    "|---|---:|---:|---:|---:|",
                    f"| GET /api/v1/orgs/…/catalog/models/?q=… | {stats['n']:.0f} | {stats['p50']:.1f} | "
                    f"{stats['p95']:.1f} | {stats['max']:.1f} |",
                    "",
                    "SQL queries per search request: "
                    + ", ".join(f"{k.split(' ', 2)[2]}: {v}" for k, v in counts.items() if k.startswith("catalog"))
                    + ".",
                    "",
                    f"Target: p95 < 200 ms — {'met' if passed else 'NOT met'}.",
                ]
            ),
        )
    if not ok:
        print("TARGET NOT MET (see docs/performance.md; set BENCH_STRICT=1 to make this an error)")
    return 0 if ok or os.environ.get("BENCH_STRICT") != "1" else 1


if __name__ == "__main__":
    raise SystemExit(main())
