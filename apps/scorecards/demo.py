"""Demo scorecard: a commercial, EU-resident use case on confidential data, scored over six registered
models mixing proprietary APIs and self-hosted open weights. One candidate is excluded by its licence
(non-commercial), one by the data policy (confidential data to a vendor API without a DPA). Version 1 is
frozen; version 2 is a draft that weighs cost higher.

Called by ``manage.py seed_demo`` inside the organization's scope, after the use-case, data-source,
catalog and registry seeds. Idempotent. Uses only the other apps' services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.catalog.models import CatalogEntry
from apps.datasources.models import DataAssessment, DataSource
from apps.datasources.services import assessment_create, datasource_create
from apps.registry.models import RegisteredModel
from apps.registry.services import registered_model_create
from apps.scorecards.models import Scorecard
from apps.scorecards.services import (
    candidate_add,
    scorecard_create,
    scorecard_freeze,
    scorecard_update,
)
from apps.usecases.models import UseCase
from apps.usecases.services import usecase_create

USE_CASE_TITLE = "Claims correspondence drafting"
DATA_SOURCE_NAME = "Claim letters archive"
SCORECARD_TITLE = "Base model for claims correspondence"

# catalog key → what only this comparison knows (hosting country, DPA, transparency, hosting estimate)
CANDIDATES: list[tuple[str, dict[str, Any]]] = [
    (
        "modelsdev:openai/gpt-4o",
        {"hosting_country": "IE", "dpa_in_place": True, "support_contract": True, "transparency": 0},
    ),
    (
        "modelsdev:anthropic/claude-sonnet-4-5",
        {
            "hosting_country": "IE",
            "dpa_in_place": False,
            "transparency": 0,
            "notes": "No DPA signed with the vendor yet.",
        },
    ),
    ("modelsdev:mistral/mistral-large-latest", {"hosting_country": "FR", "dpa_in_place": True, "transparency": 0}),
    (
        "hf:meta-llama/Llama-3.1-8B-Instruct",
        {
            "hosting_country": "DE",
            "transparency": 1,
            "price_per_hour": Decimal("1.20"),
            "power_kw": Decimal("0.35"),
            "pue": Decimal("1.2"),
        },
    ),
    (
        "hf:mistralai/Mistral-7B-Instruct-v0.3",
        {
            "hosting_country": "FR",
            "transparency": 0,
            "price_per_hour": Decimal("1.00"),
            "throughput_tps": Decimal("120"),
            "power_kw": Decimal("0.30"),
            "pue": Decimal("1.2"),
        },
    ),
    (
        "hf:Qwen/Qwen2.5-7B-Instruct",
        {
            "hosting_country": "DE",
            "transparency": 1,
            "price_per_hour": Decimal("1.00"),
            "throughput_tps": Decimal("110"),
            "power_kw": Decimal("0.30"),
            "pue": Decimal("1.2"),
        },
    ),
    (
        "hf:CohereForAI/aya-expanse-8b",
        {
            "hosting_country": "DE",
            "transparency": 1,
            "price_per_hour": Decimal("1.00"),
            "throughput_tps": Decimal("100"),
            "notes": "Research licence (CC-BY-NC-4.0).",
        },
    ),
]


def _use_case(organization: Any, actor: Any) -> UseCase:
    use_case = UseCase.objects.filter(organization=organization, title=USE_CASE_TITLE).first()
    if use_case is None:
        use_case = usecase_create(
            organization=organization,
            actor=actor,
            title=USE_CASE_TITLE,
            business_problem="Claims handlers spend hours drafting replies to policyholders' letters and e-mails.",
            expected_value="Draft replies in seconds; handlers review and send. About 30% of handling time saved.",
            owner=actor,
            business_unit="Claims",
            min_context_tokens=8_000,
            max_latency_ms=2_000,
            monthly_requests=60_000,
            input_tokens_per_request=1_200,
            output_tokens_per_request=350,
            monthly_budget=Decimal("2000"),
            budget_currency="USD",
            languages=["en", "de", "fr"],
            commercial_use=True,
            data_residency="eu",
            fine_tuning_needed=False,
        )
    if not DataAssessment.objects.filter(organization=organization, use_case=use_case).exists():
        source = DataSource.objects.filter(organization=organization, name=DATA_SOURCE_NAME).first()
        if source is None:
            source = datasource_create(
                organization=organization,
                actor=actor,
                name=DATA_SOURCE_NAME,
                description="Letters and e-mails exchanged with policyholders about their claims since 2018.",
                origin="internal",
                system_or_provider="Claims DMS",
                classification="confidential",
                contains_personal_data=True,
                personal_data_categories=["contact", "financial", "health"],
            )
        assessment_create(organization=organization, actor=actor, use_case=use_case, data_source=source)
    return use_case


def _registered(organization: Any, actor: Any, key: str) -> RegisteredModel | None:
    entry = CatalogEntry.objects.filter(key=key).first()
    if entry is None:
        return None
    registered = RegisteredModel.objects.filter(organization=organization, catalog_entry=entry).first()
    if registered is None:
        registered = registered_model_create(organization=organization, actor=actor, catalog_entry=entry, owner=actor)
    return registered


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    if organization is None:
        return
    actor = members.get("contributor")
    if Scorecard.objects.filter(organization=organization, title=SCORECARD_TITLE).exists():
        return
    use_case = _use_case(organization, actor)
    scorecard = scorecard_create(
        organization=organization,
        actor=actor,
        use_case=use_case,
        title=SCORECARD_TITLE,
        description="Which base model should draft claims correspondence? Compared on the organization's weights.",
    )
    for key, extra in CANDIDATES:
        registered = _registered(organization, actor, key)
        if registered is not None:
            candidate_add(
                organization=organization, actor=actor, scorecard=scorecard, registered_model=registered, **extra
            )
    if not scorecard.candidates.exists():
        return
    frozen = scorecard_freeze(organization=organization, actor=actor, scorecard=scorecard)
    scorecard_update(
        organization=organization,
        actor=actor,
        scorecard=frozen,
        description="Second look after the budget review: cost weighs more.",
        weight_overrides={"cost": 5.0},
    )
