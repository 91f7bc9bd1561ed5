from django.db import migrations

TRGM_INDEX = "catalog_entry_search_trgm"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the local run) scans 5,000 rows in a few milliseconds
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON catalog_catalogentry USING gin (search_text gin_trgm_ops)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


def create_schedules(apps, schema_editor):
    from apps.catalog.schedule import ensure_default_schedules

    ensure_default_schedules(
        apps.get_model("django_celery_beat", "CrontabSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def drop_schedules(apps, schema_editor):
    from apps.catalog.schedule import DEFAULT_SCHEDULES

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(DEFAULT_SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_schedules, drop_schedules),
    ]
