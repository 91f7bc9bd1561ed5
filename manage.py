#!/usr/bin/env python
import os
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent)


def main() -> None:
    # makemessages runs from inside an app folder (apps/<app>/) so that it only touches that
    # app's catalog; keep the project root first on the path there.
    sys.path[:] = [ROOT] + [p for p in sys.path if p not in ("", ".", ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
