"""Benchmark of the data-inventory file handling (pure: no database).

Parses and validates a maximal import (5 000 rows) as CSV and as XLSX, writes the export of the
same rows in both formats, and computes 10 000 readiness verdicts. Prints the timings and the peak
resident memory; it fails (exit 1) only when a parse reports errors — the timings are for
docs/performance.md, not assertions.

    .venv/bin/python bench/ideation_import.py
"""

from __future__ import annotations

import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from apps.datasources.exporting import export_csv, export_xlsx  # noqa: E402
from apps.datasources.importing import MAX_IMPORT_ROWS, parse_datasources  # noqa: E402
from apps.datasources.readiness import AssessmentFacts, assess, rollup  # noqa: E402


def rows(n: int) -> list[dict[str, object]]:
    return [
        {
            "name": f"Source {i}",
            "description": "Tickets, e-mails and chat transcripts of the support team " * 3,
            "origin": "external" if i % 3 == 0 else "internal",
            "system_or_provider": "Zendesk",
            "formats": ["email", "chat"],
            "volume": Decimal(1000 + i),
            "volume_unit": "records",
            "update_frequency": "daily",
            "classification": ("public", "internal", "confidential", "restricted")[i % 4],
            "contains_personal_data": i % 2 == 0,
            "personal_data_categories": ["contact"] if i % 2 == 0 else [],
            "access_restrictions": "Support staff only",
            "access_granted_by": "Head of support",
            "storage_cost_monthly": Decimal("12.50"),
            "storage_cost_currency": "EUR",
            "licence": "CC BY 4.0" if i % 3 == 0 else "",
            "tags": ["support", f"team-{i % 7}"],
        }
        for i in range(n)
    ]


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"{label:<42} {elapsed * 1000:9.1f} ms")
    return result


def main() -> int:
    data = rows(MAX_IMPORT_ROWS)
    csv_bytes = timed(f"export CSV ({len(data)} rows)", export_csv, data)
    xlsx_bytes = timed(f"export XLSX ({len(data)} rows)", export_xlsx, data)
    print(f"{'':<42} CSV {len(csv_bytes) / 1024:.0f} KiB, XLSX {len(xlsx_bytes) / 1024:.0f} KiB")
    failed = False
    for name, content in (("inventory.csv", csv_bytes), ("inventory.xlsx", xlsx_bytes)):
        parsed = timed(f"parse + validate {name}", parse_datasources, content, name)
        if not parsed.ok or len(parsed.rows) != len(data):
            print(f"  unexpected result: {len(parsed.rows)} rows, errors {parsed.errors[:3]}")
            failed = True
    facts = [
        AssessmentFacts(relevance=("yes", "partial", "no")[i % 3], preprocessing=("ocr",) if i % 2 else ())
        for i in range(10_000)
    ]
    results = timed("readiness of 10 000 assessments", lambda: [assess(f) for f in facts])
    timed("roll-up of 10 000 verdicts", rollup, results)
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
