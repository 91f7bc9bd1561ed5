"""Fail when a Russian catalog is incomplete or out of date.

1. Every .po file (locale/ and apps/*/locale/) has no untranslated and no fuzzy entry.
2. Re-extracting the strings (makemessages, into a scratch copy of the tree) finds no msgid that
   the committed catalog lacks — so a new string without a translation can't slip through.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANG = "ru"


def catalogs() -> list[Path]:
    found = [ROOT / "locale" / LANG / "LC_MESSAGES" / "django.po"]
    found += sorted(ROOT.glob(f"apps/*/locale/{LANG}/LC_MESSAGES/django.po"))
    return [p for p in found if p.exists()]


def incomplete(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    bad = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    bad += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    for e in po.translated_entries():
        if e.msgid_plural and any(not v for v in e.msgstr_plural.values()):
            bad.append(f"plural form missing: {e.msgid!r}")
    return bad


def extracted_ids(tree: Path, rel: Path) -> set[str]:
    """Run makemessages in a scratch copy and return the msgids of the catalog at ``rel``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONPATH": str(tree)}
    workdir = tree if rel.parts[0] == "locale" else tree / rel.parts[0] / rel.parts[1]
    cmd = [sys.executable, str(tree / "manage.py"), "makemessages", "-l", LANG, "--no-location", "-v", "0"]
    if workdir == tree:
        cmd += ["--ignore=apps/*", "--ignore=.venv/*", "--ignore=tests/*", "--ignore=var/*", "--ignore=node_modules/*"]
    subprocess.run(cmd, cwd=workdir, env=env, check=True)
    return {e.msgid for e in polib.pofile(str(tree / rel)) if not e.obsolete}


def main() -> int:
    problems: list[str] = []
    paths = catalogs()
    if not paths:
        print("no Russian catalogs found")
        return 1
    for app in sorted(p for p in (ROOT / "apps").iterdir() if p.is_dir()):
        uses_i18n = any(
            marker in f.read_text(errors="ignore")
            for f in list(app.rglob("*.py")) + list(app.rglob("*.html")) + list(app.rglob("*.txt"))
            if "migrations" not in f.parts
            for marker in ("gettext", "{% translate", "{% blocktranslate", "{% trans ")
        )
        if uses_i18n and not (app / "locale" / LANG / "LC_MESSAGES" / "django.po").exists():
            problems.append(f"apps/{app.name}: has translatable strings but no {LANG} catalog")
    for path in paths:
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in incomplete(path)]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(
            ROOT, tree, ignore=shutil.ignore_patterns(".venv", "var", "node_modules", ".git", "__pycache__", "*.mo")
        )
        for path in paths:
            rel = path.relative_to(ROOT)
            committed = {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}
            new = sorted(extracted_ids(tree, rel) - committed)
            problems += [f"{rel}: string missing from the catalog: {m!r}" for m in new]
    for p in problems:
        print(p)
    print(f"{len(paths)} catalogs checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
