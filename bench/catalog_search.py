"""Benchmark: catalog search over the full bundled catalog (p95 < 200 ms at 8 concurrent clients).

Run: ``.venv/bin/python bench/catalog_search.py``. Shares its set-up with bench/registry_list.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry_list import main

if __name__ == "__main__":
    raise SystemExit(main(("catalog",)))
