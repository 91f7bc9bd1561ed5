"""The shared model catalog: public facts about base models, refreshed by background jobs, read by every org.

Nothing here is tenant-owned (plain ``models.Model``): the catalog is written only by the refresh jobs and by
site staff (Django admin), and read by everyone. What an organization thinks of a model lives in apps.registry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .licences import CommercialUse

__all__ = [
    "CatalogChange",
    "CatalogChangeEvent",
    "CatalogEntry",
    "CommercialUse",
    "FineTuning",
    "ModelKind",
    "RefreshRun",
    "RefreshRunItem",
]


class ModelKind(models.TextChoices):
    PROPRIETARY_API = "proprietary_api", _("Proprietary API")
    OPEN_WEIGHTS = "open_weights", _("Open weights")


class FineTuning(models.TextChoices):
    AVAILABLE = "available", _("Available")
    NOT_AVAILABLE = "not_available", _("Not available")
    UNKNOWN = "unknown", _("Unknown")


class EntrySource(models.TextChoices):
    MODELSDEV = "modelsdev", _("models.dev catalog")
    HUB = "hub", _("Hugging Face Hub")
    MANUAL = "manual", _("Entered by site staff")


# Fields whose changes are recorded in CatalogChange (every fact a refresh can change).
TRACKED_FIELDS: tuple[str, ...] = (
    "provider_name",
    "family",
    "display_name",
    "kind",
    "licence_id",
    "commercial_use",
    "commercial_use_condition",
    "context_window",
    "max_output_tokens",
    "parameters_total",
    "parameters_active",
    "modalities_input",
    "modalities_output",
    "knowledge_cutoff",
    "release_date",
    "training_data_summary",
    "fine_tuning",
    "price_input_per_mtok",
    "price_output_per_mtok",
    "price_currency",
    "downloads",
    "likes",
    "energy_kwh_per_mtok",
    "carbon_kgco2e_per_mtok",
    "lifecycle_status",
    "capabilities",
    "hf_sha",
    "hf_gated",
)


class CatalogEntry(models.Model):
    """One public base model or API model. Each fact's origin is in ``provenance[field] = {source, as_of}``."""

    key = models.CharField(_("key"), max_length=300, unique=True)
    source = models.CharField(_("primary source"), max_length=20, choices=EntrySource.choices)
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True, db_index=True)
    provider_name = models.CharField(_("provider"), max_length=200, blank=True)
    family = models.CharField(_("family"), max_length=100, blank=True)
    display_name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ModelKind.choices, default=ModelKind.PROPRIETARY_API)
    hf_repo_id = models.CharField(_("Hugging Face repository"), max_length=200, null=True, blank=True, unique=True)
    modelsdev_provider_id = models.CharField(_("models.dev provider id"), max_length=100, blank=True)
    modelsdev_model_id = models.CharField(_("models.dev model id"), max_length=200, blank=True)

    licence_id = models.CharField(_("licence"), max_length=200, blank=True)
    commercial_use = models.CharField(
        _("commercial use"), max_length=20, choices=CommercialUse.choices, default=CommercialUse.UNKNOWN
    )
    commercial_use_condition = models.TextField(_("commercial-use condition"), blank=True)

    context_window = models.PositiveIntegerField(_("context window (tokens)"), null=True, blank=True)
    max_output_tokens = models.PositiveIntegerField(_("maximum output tokens"), null=True, blank=True)
    parameters_total = models.BigIntegerField(_("parameters (total)"), null=True, blank=True)
    parameters_active = models.BigIntegerField(_("parameters (active)"), null=True, blank=True)
    modalities_input = models.JSONField(_("input modalities"), default=list, blank=True)
    modalities_output = models.JSONField(_("output modalities"), default=list, blank=True)
    knowledge_cutoff = models.CharField(_("knowledge cut-off"), max_length=10, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    training_data_summary = models.TextField(_("training data"), blank=True)
    fine_tuning = models.CharField(
        _("fine-tuning"), max_length=20, choices=FineTuning.choices, default=FineTuning.UNKNOWN
    )
    price_input_per_mtok = models.DecimalField(
        _("price per million input tokens"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    price_output_per_mtok = models.DecimalField(
        _("price per million output tokens"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    price_currency = models.CharField(_("currency"), max_length=3, blank=True)
    downloads = models.BigIntegerField(_("downloads"), null=True, blank=True)
    likes = models.IntegerField(_("likes"), null=True, blank=True)
    energy_kwh_per_mtok = models.FloatField(_("energy per million output tokens (kWh)"), null=True, blank=True)
    carbon_kgco2e_per_mtok = models.FloatField(
        _("emissions per million output tokens (kg CO2e)"), null=True, blank=True
    )
    lifecycle_status = models.CharField(_("lifecycle status"), max_length=20, blank=True)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)

    hf_sha = models.CharField(_("Hub commit"), max_length=64, blank=True)
    hf_last_modified = models.DateTimeField(_("Hub last modified"), null=True, blank=True)
    hf_tags = models.JSONField(_("Hub tags"), default=list, blank=True)
    hf_gated = models.BooleanField(_("gated on the Hub"), default=False)

    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    source_hashes = models.JSONField(default=dict, blank=True, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        ordering = ("display_name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("modelsdev_provider_id", "modelsdev_model_id"),
                condition=~models.Q(modelsdev_model_id=""),
                name="catalog_entry_unique_modelsdev_id",
            )
        ]
        indexes = [
            models.Index(fields=("display_name", "id"), name="catalog_entry_name_idx"),
            models.Index(fields=("kind", "display_name"), name="catalog_entry_kind_idx"),
            models.Index(fields=("commercial_use",), name="catalog_entry_commercial_idx"),
            models.Index(fields=("licence_id",), name="catalog_entry_licence_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.provider_name})" if self.provider_name else self.display_name

    def provenance_for(self, field: str) -> dict[str, Any]:
        value = (self.provenance or {}).get(field)
        return value if isinstance(value, dict) else {}

    def build_search_text(self) -> str:
        parts = [
            self.display_name,
            self.provider_name,
            self.provider_id,
            self.family,
            self.hf_repo_id or "",
            self.modelsdev_model_id,
            self.licence_id,
        ]
        return " ".join(p.lower() for p in parts if p)


class RefreshRun(models.Model):
    class Source(models.TextChoices):
        HUB = "hub", _("Hugging Face Hub")
        MODELSDEV = "modelsdev", _("models.dev catalog")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("Refresh now")
        COMMAND = "command", _("Management command")
        SEED = "seed", _("Demo seed")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_label = models.CharField(_("source detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("entries"), default=0)
    checked = models.PositiveIntegerField(_("checked"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    offline = models.PositiveIntegerField(_("offline"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("refresh run")
        verbose_name_plural = _("refresh runs")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("source", "status"), name="catalog_run_source_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RefreshRunItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        UNCHANGED = "unchanged", _("Unchanged")
        CHANGED = "changed", _("Changed")
        CREATED = "created", _("Created")
        OFFLINE = "offline", _("Offline")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(RefreshRun, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=300)
    entry = models.ForeignKey(CatalogEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    payload = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("run", "key"), name="catalog_run_item_unique_key")]
        indexes = [models.Index(fields=("run", "status"), name="catalog_run_item_status_idx")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class CatalogChange(models.Model):
    """One field of one entry changed: the diff (old → new), its source and time."""

    entry = models.ForeignKey(CatalogEntry, on_delete=models.CASCADE, related_name="changes")
    run = models.ForeignKey(RefreshRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    field = models.CharField(_("field"), max_length=64)
    old = models.JSONField(_("old value"), null=True, blank=True)
    new = models.JSONField(_("new value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")
        ordering = ("-changed_at", "-id")
        indexes = [models.Index(fields=("entry", "-changed_at"), name="catalog_change_entry_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id}.{self.field}: {self.old!r} → {self.new!r}"


class CatalogChangeEvent(models.Model):
    """A change that may re-open approved decisions (licence, commercial use, price jump, smaller context)."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence changed")
        COMMERCIAL_USE = "commercial_use", _("Commercial-use verdict changed")
        PRICE = "price", _("Price changed")
        CONTEXT_WINDOW_DECREASE = "context_window_decrease", _("Context window decreased")

    entry = models.ForeignKey(CatalogEntry, on_delete=models.CASCADE, related_name="change_events")
    change = models.OneToOneField(CatalogChange, on_delete=models.CASCADE, related_name="event")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    field = models.CharField(_("field"), max_length=64)
    old = models.JSONField(_("old value"), null=True, blank=True)
    new = models.JSONField(_("new value"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("catalog change event")
        verbose_name_plural = _("catalog change events")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("entry", "created_at"), name="catalog_event_entry_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry}"
