"""Demo content for the shared catalog: the bundled models.dev catalog and a few open-weights models."""

from __future__ import annotations

from typing import Any

from .models import CatalogEntry, EntrySource
from .services import catalog_apply_record, catalog_bulk_import
from .sources import modelsdev

SEED_SOURCE = "model card (Charter demo seed)"

# Facts from the models' public cards; the Hub refresh keeps them current when the Hub is reachable.
OPEN_WEIGHTS: list[dict[str, Any]] = [
    {
        "hf_repo_id": "meta-llama/Llama-3.1-8B-Instruct",
        "display_name": "Llama 3.1 8B Instruct",
        "provider_id": "meta",
        "provider_name": "Meta",
        "family": "llama-3.1",
        "licence_id": "llama3.1",
        "parameters_total": 8_030_261_248,
        "context_window": 131_072,
        "knowledge_cutoff": "2023-12",
        "release_date": "2024-07-23",
        "modalities_input": ["text"],
        "modalities_output": ["text"],
        "training_data_summary": "About 15 trillion tokens of publicly available online data; instruction tuning "
        "on public instruction data and over 25 million synthetic examples.",
    },
    {
        "hf_repo_id": "mistralai/Mistral-7B-Instruct-v0.3",
        "display_name": "Mistral 7B Instruct v0.3",
        "provider_id": "mistral",
        "provider_name": "Mistral AI",
        "family": "mistral",
        "licence_id": "apache-2.0",
        "parameters_total": 7_248_023_552,
        "context_window": 32_768,
        "release_date": "2024-05-22",
        "modalities_input": ["text"],
        "modalities_output": ["text"],
        "training_data_summary": "Not disclosed by the vendor.",
    },
    {
        "hf_repo_id": "Qwen/Qwen2.5-7B-Instruct",
        "display_name": "Qwen2.5 7B Instruct",
        "provider_id": "alibaba",
        "provider_name": "Alibaba Cloud (Qwen)",
        "family": "qwen2.5",
        "licence_id": "apache-2.0",
        "parameters_total": 7_615_616_512,
        "context_window": 32_768,
        "release_date": "2024-09-19",
        "modalities_input": ["text"],
        "modalities_output": ["text"],
        "training_data_summary": "Up to 18 trillion tokens of multilingual web, code and mathematics data.",
    },
    {
        "hf_repo_id": "google/gemma-2-9b-it",
        "display_name": "Gemma 2 9B IT",
        "provider_id": "google",
        "provider_name": "Google",
        "family": "gemma-2",
        "licence_id": "gemma",
        "parameters_total": 9_241_705_984,
        "context_window": 8_192,
        "release_date": "2024-06-27",
        "modalities_input": ["text"],
        "modalities_output": ["text"],
        "training_data_summary": "8 trillion tokens of web documents, code and mathematics (mostly English).",
    },
    {
        "hf_repo_id": "CohereForAI/aya-expanse-8b",
        "display_name": "Aya Expanse 8B",
        "provider_id": "cohere",
        "provider_name": "Cohere For AI",
        "family": "aya",
        "licence_id": "cc-by-nc-4.0",
        "parameters_total": 8_028_033_024,
        "context_window": 8_192,
        "release_date": "2024-10-24",
        "modalities_input": ["text"],
        "modalities_output": ["text"],
        "training_data_summary": "Multilingual data in 23 languages; research release (non-commercial licence).",
    },
]


def hub_key(repo_id: str) -> str:
    return f"hf:{repo_id}"


def seed_open_weights() -> None:
    for facts in OPEN_WEIGHTS:
        key = hub_key(facts["hf_repo_id"])
        if CatalogEntry.objects.filter(key=key).exists():
            continue
        catalog_apply_record(
            key=key, record={**facts, "kind": "open_weights"}, source=SEED_SOURCE, primary_source=EntrySource.HUB
        )


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    """Shared data: called once with organization=None (per-organization calls have nothing to do)."""
    if organization is not None:
        return
    document = modelsdev.load_bundled()
    catalog_bulk_import(document=document, source_label=f"{modelsdev.BUNDLED_SOURCE} {modelsdev.bundled_version()}")
    seed_open_weights()
