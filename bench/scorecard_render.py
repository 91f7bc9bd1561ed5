"""Benchmark: how long the scorecard page takes to render for a 50-candidate scorecard.

Not a test (timings depend on the machine): run it by hand, it prints the timings and rewrites its own
section of docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/charter_bench \\
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/scorecard_render.py [--candidates 50]

It creates a throw-away test database (``test_<name>``, migrated, dropped at the end), builds one
organization with a use case touching confidential data and N registered models (proprietary APIs and
self-hosted open weights, some with a non-commercial licence), puts them all on one scorecard through the
services, then times: the pure engine (cost, carbon, checks, scoring, sensitivity), the page (full
Django request: selectors, engine, presentation, both SVG charts, template) and the API evaluation.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

MARK_START = "<!-- scorecard_render:start -->"
MARK_END = "<!-- scorecard_render:end -->"


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


def build(n: int) -> tuple[Any, Any, Any]:
    from apps.accounts.models import User
    from apps.catalog.models import CatalogEntry
    from apps.core.tenancy import org_scope
    from apps.datasources.services import assessment_create, datasource_create
    from apps.organizations.models import Membership, Organization
    from apps.registry.models import RegisteredModel
    from apps.scorecards.services import candidate_add, scorecard_create
    from apps.usecases.services import usecase_create

    org = Organization.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("bench@example.com", "bench-password-123", full_name="Bench")
    with org_scope(org):
        m = Membership(organization=org, user=user)
        m.set_roles(["contributor", "viewer"])
        m.save()
        use_case = usecase_create(
            organization=org,
            actor=user,
            title="Bench use case",
            business_problem="Benchmark.",
            min_context_tokens=16_000,
            max_latency_ms=1500,
            monthly_requests=200_000,
            input_tokens_per_request=1500,
            output_tokens_per_request=400,
            monthly_budget=Decimal("5000"),
            budget_currency="USD",
            commercial_use=True,
            data_residency="eu",
        )
        source = datasource_create(
            organization=org, actor=user, name="Letters", origin="internal", classification="confidential"
        )
        assessment_create(organization=org, actor=user, use_case=use_case, data_source=source)
        scorecard = scorecard_create(organization=org, actor=user, use_case=use_case, title="Fifty models")
        verdicts = ["allowed", "conditional", "allowed", "not_allowed", "unknown"]
        for i in range(n):
            open_weights = i % 2 == 1
            entry = CatalogEntry.objects.create(
                key=f"bench:{i}",
                source="manual",
                display_name=f"Bench model {i}",
                provider_name=f"P{i % 7}",
                kind="open_weights" if open_weights else "proprietary_api",
                licence_id="apache-2.0",
                commercial_use=verdicts[i % len(verdicts)],
                context_window=8_192 * (1 + i % 16),
                fine_tuning=["available", "not_available", "unknown"][i % 3],
                parameters_total=(1 + i) * 1_000_000_000 if open_weights else None,
                downloads=(i + 1) * 10_000 if open_weights else None,
                price_input_per_mtok=None if open_weights else Decimal("0.5") + i % 10,
                price_output_per_mtok=None if open_weights else Decimal("1.5") + 2 * (i % 10),
                price_currency="USD",
                energy_kwh_per_mtok=0.2 + (i % 9) * 0.5,
            )
            registered = RegisteredModel.objects.create(
                organization=org,
                catalog_entry=entry,
                name=entry.display_name,
                kind=entry.kind,
                hosting="self_hosted" if open_weights else "vendor_api",
                measured_latency_ms=Decimal(200 + 37 * i) if i % 4 else None,
                measured_throughput_tps=Decimal(80 + i) if open_weights else None,
                quality_score=Decimal(60 + (i * 7) % 35) if i % 5 else None,
            )
            extra: dict[str, Any] = {
                "hosting_country": ["DE", "FR", "IE", "US"][i % 4],
                "dpa_in_place": i % 3 != 0,
                "transparency": i % 3,
            }
            if open_weights:
                extra.update(price_per_hour=Decimal("1.2") + i % 4, power_kw=Decimal("0.4"), pue=Decimal("1.2"))
            candidate_add(organization=org, actor=user, scorecard=scorecard, registered_model=registered, **extra)
    return org, user, scorecard


def write_section(text: str) -> Path:
    path = ROOT / "docs" / "performance.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{MARK_START}\n{text.rstrip()}\n{MARK_END}"
    if MARK_START in current and MARK_END in current:
        current = re.sub(re.escape(MARK_START) + r".*?" + re.escape(MARK_END), lambda _m: block, current, flags=re.S)
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from apps.core.tenancy import org_scope
        from apps.scorecards import selectors
        from apps.scorecards.presentation import page_context

        t0 = time.perf_counter()
        org, user, scorecard = build(args.candidates)
        build_s = time.perf_counter() - t0

        with org_scope(org):
            candidates = selectors.scorecard_candidates(scorecard=scorecard)
            from apps.scorecards.facts import scorecard_inputs

            inputs = scorecard_inputs(scorecard, candidates)
            from apps.scorecards.evaluation import evaluate
            from apps.scorecards.scoring import DEFAULT_WEIGHTS

            engine = timed(lambda: evaluate(**inputs, weights=DEFAULT_WEIGHTS), args.runs)
            evaluation = selectors.scorecard_evaluate(organization=org, scorecard=scorecard)
            present = timed(lambda: page_context(evaluation), args.runs)

        client = Client()
        client.force_login(user)
        page_url = reverse("scorecards:detail", kwargs={"org_slug": org.slug, "pk": scorecard.pk})
        api_url = reverse("scorecards-api:scorecard-evaluation", kwargs={"org_slug": org.slug, "pk": scorecard.pk})

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        for _ in range(2):  # warm-up: template loading, translation catalogs, EcoLogits data
            get(page_url)
        page = timed(lambda: get(page_url), args.runs)
        api = timed(lambda: get(api_url), args.runs)
        size_kb = len(client.get(page_url).content) / 1024
    finally:
        teardown_databases(old, verbosity=0)

    rows = [
        ("engine: cost, carbon, checks, scores, sensitivity", summary(engine)),
        ("presentation: rows, explanations, both SVG charts", summary(present)),
        ("page: GET scorecard detail (full request)", summary(page)),
        ("API: GET …/evaluation/ (full request)", summary(api)),
    ]
    lines = [
        "## Scorecard page (bench/scorecard_render.py)",
        "",
        f"{args.candidates} candidates on one scorecard, {args.runs} runs each after 2 warm-up requests; "
        f"PostgreSQL on loopback, Django test client, `config.settings.test`. "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}. "
        f"Page size {size_kb:.0f} KiB. Set-up (services, {args.candidates} candidates) took {build_s:.1f} s.",
        "",
        "| what | min ms | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, s in rows:
        lines.append(f"| {label} | {s['min']:.1f} | {s['median']:.1f} | {s['p95']:.1f} | {s['max']:.1f} |")
    lines += [
        "",
        "Target: the page renders in well under a second for 50 candidates. Re-run after changing the engine, "
        "the presentation or the template.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        print(f"\nwritten to {write_section(text)}")


if __name__ == "__main__":
    main()
