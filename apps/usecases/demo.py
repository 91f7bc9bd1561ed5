"""Demo use cases for ``manage.py seed_demo``: four use cases in different phases, with a
non-linear phase history. Idempotent: use cases are found by title; history is only written when
a use case is created. Created through the services, so the audit log shows the story too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.usecases.models import UseCase
from apps.usecases.services import usecase_create, usecase_move_phase

USE_CASES: list[dict[str, Any]] = [
    {
        "title": "Customer-support answer drafting",
        "business_problem": (
            "Support agents spend about 12 minutes writing each answer to customer e-mails and chats, "
            "looking up the same policies again and again."
        ),
        "expected_value": "Halve the handling time; consistent answers in English and Russian.",
        "business_unit": "Customer service",
        "status": "active",
        "min_context_tokens": 32_000,
        "max_latency_ms": 1500,
        "realtime": True,
        "monthly_requests": 60_000,
        "input_tokens_per_request": 3000,
        "output_tokens_per_request": 400,
        "monthly_budget": Decimal("4000.00"),
        "budget_currency": "EUR",
        "languages": ["en", "ru"],
        "commercial_use": True,
        "data_residency": "eu",
        "fine_tuning_needed": False,
        "_owner": "contributor",
        "_moves": [("development", "Prototype with drafted answers accepted by the support leads.")],
    },
    {
        "title": "Contract clause extraction",
        "business_problem": (
            "Lawyers read every supplier contract to find liability caps, termination and data-protection "
            "clauses; the backlog is six weeks."
        ),
        "expected_value": "Review in days instead of weeks; no missed risky clause.",
        "business_unit": "Legal",
        "status": "draft",
        "min_context_tokens": 128_000,
        "max_latency_ms": 30_000,
        "realtime": False,
        "monthly_requests": 2000,
        "input_tokens_per_request": 60_000,
        "output_tokens_per_request": 2000,
        "monthly_budget": Decimal("150000.00"),
        "budget_currency": "RUB",
        "languages": ["ru", "en"],
        "commercial_use": True,
        "data_residency": "on_premises",
        "data_residency_note": "Contracts never leave our data centre.",
        "fine_tuning_needed": True,
        "_owner": "contributor",
        "_moves": [],
    },
    {
        "title": "Internal knowledge search",
        "business_problem": "Staff cannot find the current version of policies and procedures on the intranet.",
        "expected_value": "Answers with links to the source document in seconds.",
        "business_unit": "Operations",
        "status": "active",
        "min_context_tokens": 16_000,
        "max_latency_ms": 3000,
        "realtime": True,
        "monthly_requests": 25_000,
        "input_tokens_per_request": 4000,
        "output_tokens_per_request": 300,
        "monthly_budget": Decimal("1500.00"),
        "budget_currency": "EUR",
        "languages": ["en"],
        "commercial_use": False,
        "data_residency": "eu",
        "fine_tuning_needed": False,
        "_owner": "admin",
        "_moves": [
            ("development", "Retrieval-augmented prototype approved."),
            ("operation", "Pilot with 200 users went live."),
        ],
    },
    {
        "title": "Claims e-mail triage",
        "business_problem": "Incoming claims e-mails are sorted by hand into 14 queues; urgent ones wait a day.",
        "expected_value": "Route 80% of e-mails automatically within minutes.",
        "business_unit": "Claims",
        "status": "on_hold",
        "min_context_tokens": 8000,
        "max_latency_ms": 10_000,
        "realtime": False,
        "monthly_requests": 90_000,
        "input_tokens_per_request": 1500,
        "output_tokens_per_request": 50,
        "monthly_budget": Decimal("2000.00"),
        "budget_currency": "USD",
        "languages": ["en", "de"],
        "commercial_use": True,
        "data_residency": "specific_country",
        "data_residency_note": "Health data must stay in Germany.",
        "fine_tuning_needed": True,
        "_owner": "contributor",
        "_moves": [
            ("development", "Classifier prototype started."),
            ("ideation", "Back to ideation: access to the claims mailbox was refused by the data owner."),
        ],
    },
]


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    actor = members.get("contributor")
    for spec in USE_CASES:
        fields = {k: v for k, v in spec.items() if not k.startswith("_")}
        if UseCase.objects.filter(title__iexact=fields["title"]).exists():
            continue
        use_case = usecase_create(organization=organization, actor=actor, owner=members.get(spec["_owner"]), **fields)
        for to_phase, reason in spec["_moves"]:
            usecase_move_phase(
                organization=organization, actor=actor, use_case=use_case, to_phase=to_phase, reason=reason
            )
