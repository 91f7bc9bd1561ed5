"""Demo registry: about ten models per demo organization, with various statuses and some own measurements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from apps.catalog.models import CatalogEntry
from apps.registry.models import Hosting, RegisteredModel, RegistryStatus
from apps.registry.services import registered_model_create

CATALOG_PICKS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "hf:meta-llama/Llama-3.1-8B-Instruct",
        RegistryStatus.APPROVED,
        Hosting.SELF_HOSTED,
        {
            "measured_latency_ms": Decimal("420"),
            "measured_throughput_tps": Decimal("85"),
            "quality_score": Decimal("78.5"),
            "quality_evaluation_set": "claims-triage-v2",
            "measured_at": date(2026, 9, 14),
        },
    ),
    (
        "hf:mistralai/Mistral-7B-Instruct-v0.3",
        RegistryStatus.UNDER_EVALUATION,
        Hosting.SELF_HOSTED,
        {
            "quality_score": Decimal("71.0"),
            "quality_evaluation_set": "claims-triage-v2",
            "measured_at": date(2026, 9, 14),
        },
    ),
    ("hf:Qwen/Qwen2.5-7B-Instruct", RegistryStatus.UNDER_EVALUATION, Hosting.SELF_HOSTED, {}),
    ("hf:google/gemma-2-9b-it", RegistryStatus.PROPOSED, Hosting.CLOUD_MARKETPLACE, {}),
    (
        "hf:CohereForAI/aya-expanse-8b",
        RegistryStatus.PROHIBITED,
        Hosting.SELF_HOSTED,
        {"notes": "Non-commercial licence (CC-BY-NC-4.0): not usable for customer-facing work."},
    ),
    (
        "modelsdev:openai/gpt-4o",
        RegistryStatus.APPROVED,
        Hosting.VENDOR_API,
        {
            "measured_latency_ms": Decimal("950"),
            "quality_score": Decimal("88.0"),
            "quality_evaluation_set": "claims-triage-v2",
            "measured_at": date(2026, 10, 2),
        },
    ),
    (
        "modelsdev:openai/gpt-4o-mini",
        RegistryStatus.RESTRICTED,
        Hosting.VENDOR_API,
        {"notes": "Only for internal summaries without personal data."},
    ),
    ("modelsdev:anthropic/claude-sonnet-4-5", RegistryStatus.UNDER_EVALUATION, Hosting.VENDOR_API, {}),
    ("modelsdev:mistral/mistral-large-latest", RegistryStatus.PROPOSED, Hosting.VENDOR_API, {}),
    ("modelsdev:google/gemini-2.5-flash", RegistryStatus.RETIRED, Hosting.CLOUD_MARKETPLACE, {}),
]


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    if organization is None:
        return
    owner = members.get("contributor")
    actor = owner
    entries = {e.key: e for e in CatalogEntry.objects.filter(key__in=[key for key, *_rest in CATALOG_PICKS])}
    for key, status, hosting, extra in CATALOG_PICKS:
        entry = entries.get(key)
        if entry is None or RegisteredModel.objects.filter(organization=organization, catalog_entry=entry).exists():
            continue
        registered_model_create(
            organization=organization,
            actor=actor,
            catalog_entry=entry,
            status=status,
            hosting=hosting,
            owner=owner,
            **extra,
        )
    if not RegisteredModel.objects.filter(organization=organization, name="Internal claims classifier").exists():
        registered_model_create(
            organization=organization,
            actor=actor,
            name="Internal claims classifier",
            provider=organization.name,
            kind="open_weights",
            status=RegistryStatus.APPROVED,
            hosting=Hosting.SELF_HOSTED,
            owner=owner,
            own_licence_id="proprietary",
            own_context_window=4096,
            own_parameters_total=350_000_000,
            measured_latency_ms=Decimal("35"),
            measured_throughput_tps=Decimal("900"),
            quality_score=Decimal("91.2"),
            quality_evaluation_set="claims-holdout-2026",
            measured_at=date(2026, 8, 30),
            notes="Fine-tuned in-house on historical claims; weights stay in the data centre.",
        )
