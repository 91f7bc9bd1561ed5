"""Refresh the shared catalog from its sources: ``manage.py catalog_refresh [--source hub|modelsdev|all]``.

With a broker (REDIS_URL set) the run is queued for the workers and the command waits for nothing; without one
(the local default) tasks run in-process and the command prints the result of each run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.catalog.models import RefreshRun
from apps.catalog.services import refresh_run_start


class Command(BaseCommand):
    help = "Refresh the model catalog from the Hugging Face Hub and/or the models.dev catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=["hub", "modelsdev", "all"], default="all")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = ["modelsdev", "hub"] if options["source"] == "all" else [options["source"]]
        for source in sources:
            run, created = refresh_run_start(source=source, trigger=RefreshRun.Trigger.COMMAND)
            run.refresh_from_db()
            verb = "started" if created else "already running"
            self.stdout.write(
                f"{run.get_source_display()} run #{run.pk} {verb}: status={run.status} checked={run.checked}/"
                f"{run.total} changed={run.changed} offline={run.offline} failed={run.failed}"
            )
            for error in (run.errors or [])[:20]:
                self.stdout.write(f"  {error.get('status', '')} {error.get('key', '')}: {error.get('message', '')}")
