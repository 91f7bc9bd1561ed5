"""The organization's model registry: what it thinks of a model (tenant-owned).

A registered model points at a shared catalog entry, or is a private/internal model entered by hand. The
organization's own values (``own_*``) and measurements override the catalog's facts in the factor sheet
(``apps.registry.selectors.registered_model_factors``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import CatalogChangeEvent, CatalogEntry, ModelKind
from apps.core.tenancy import OrganizationOwned


class RegistryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    APPROVED = "approved", _("Approved for use")
    RESTRICTED = "restricted", _("Restricted")
    PROHIBITED = "prohibited", _("Prohibited")
    RETIRED = "retired", _("Retired")


class Hosting(models.TextChoices):
    VENDOR_API = "vendor_api", _("Vendor API")
    CLOUD_MARKETPLACE = "cloud_marketplace", _("Cloud marketplace")
    SELF_HOSTED = "self_hosted", _("Self-hosted")


class RegisteredModel(OrganizationOwned):
    catalog_entry = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("catalog entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ModelKind.choices, default=ModelKind.PROPRIETARY_API)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistryStatus.choices, default=RegistryStatus.PROPOSED
    )
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting.choices, default=Hosting.VENDOR_API)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=10_000, validators=[MaxLengthValidator(10_000)])

    # The organization's own facts (private models, or negotiated prices / deployment limits).
    own_licence_id = models.CharField(_("licence (own)"), max_length=200, blank=True)
    own_context_window = models.PositiveIntegerField(
        _("context window (own)"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    own_max_output_tokens = models.PositiveIntegerField(
        _("maximum output tokens (own)"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    own_parameters_total = models.BigIntegerField(
        _("parameters (own)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    own_price_input_per_mtok = models.DecimalField(
        _("price per million input tokens (own)"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    own_price_output_per_mtok = models.DecimalField(
        _("price per million output tokens (own)"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    own_price_currency = models.CharField(_("currency (own)"), max_length=3, blank=True)

    # The organization's own measurements.
    measured_latency_ms = models.DecimalField(
        _("measured latency (ms)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    measured_throughput_tps = models.DecimalField(
        _("measured throughput (tokens/s)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    quality_score = models.DecimalField(
        _("quality score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    quality_evaluation_set = models.CharField(_("evaluation set"), max_length=200, blank=True)
    measured_at = models.DateField(_("measured on"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("registered model")
        verbose_name_plural = _("registered models")
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "catalog_entry"),
                condition=models.Q(catalog_entry__isnull=False),
                name="registry_unique_catalog_entry_per_org",
                violation_error_message=_("This catalog model is already in the registry."),
            ),
            models.UniqueConstraint(
                "organization",
                Lower("name"),
                name="registry_unique_name_per_org",
                violation_error_message=_("A registered model with this name already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=("organization", "status"), name="registry_org_status_idx"),
            models.Index(fields=("organization", "name"), name="registry_org_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.catalog_entry_id is None


class CatalogChangeNotification(OrganizationOwned):
    """Exactly one per (organization, catalog change event): the admins were told about it."""

    event = models.ForeignKey(CatalogChangeEvent, on_delete=models.CASCADE, related_name="+")
    registered_model = models.ForeignKey(
        RegisteredModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("catalog change notification")
        verbose_name_plural = _("catalog change notifications")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("organization", "event"), name="registry_one_notification_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.organization_id}"
