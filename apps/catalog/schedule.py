"""The refresh schedule: django-celery-beat PeriodicTask rows, created by a data migration and editable by
admins in the UI (``apps.catalog.services_schedule``)."""

from __future__ import annotations

from typing import Any

# name → (task, args JSON, crontab minute, crontab hour)
DEFAULT_SCHEDULES: dict[str, tuple[str, str, str, str]] = {
    "catalog-refresh-modelsdev": ("catalog.scheduled_refresh", '["modelsdev"]', "15", "3"),
    "catalog-refresh-hub": ("catalog.scheduled_refresh", '["hub"]', "45", "3"),
    "catalog-close-stale-runs": ("catalog.close_stale_runs", "[]", "5", "*"),
}
SOURCE_SCHEDULES = {"modelsdev": "catalog-refresh-modelsdev", "hub": "catalog-refresh-hub"}


def ensure_default_schedules(crontab_model: Any, periodic_task_model: Any) -> None:
    """Create the default PeriodicTask rows when missing (never overwrites an admin's changes)."""
    for name, (task, args, minute, hour) in DEFAULT_SCHEDULES.items():
        if periodic_task_model.objects.filter(name=name).exists():
            continue
        crontab, _created = crontab_model.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        periodic_task_model.objects.create(name=name, task=task, args=args, crontab=crontab, enabled=True)
