"""Demo data inventory and assessments for ``manage.py seed_demo`` (run after the use-case demo):
twelve sources mixing internal and external data, personal data and every classification, and
assessments that show all three readiness verdicts. Idempotent: sources are found by name and
assessments by (use case, source)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.datasources.models import DataAssessment, DataSource
from apps.datasources.services import assessment_create, datasource_create
from apps.usecases.models import UseCase

SOURCES: list[dict[str, Any]] = [
    {
        "name": "Support tickets",
        "description": "Customer e-mails and chats with the agents' answers, since 2018.",
        "origin": "internal",
        "system_or_provider": "Zendesk",
        "formats": ["email", "chat"],
        "volume": Decimal("1800000"),
        "volume_unit": "messages",
        "update_frequency": "real_time",
        "classification": "confidential",
        "contains_personal_data": True,
        "personal_data_categories": ["contact", "communications"],
        "access_restrictions": "Customer-service staff; exports need the data owner's approval.",
        "access_granted_by": "Head of customer service",
        "storage_cost_monthly": Decimal("420.00"),
        "storage_cost_currency": "EUR",
        "tags": ["support", "customers"],
        "_owner": "contributor",
    },
    {
        "name": "Product knowledge base",
        "description": "Help-centre articles and internal how-tos.",
        "origin": "internal",
        "system_or_provider": "Confluence",
        "formats": ["html", "markdown"],
        "volume": Decimal("4200"),
        "volume_unit": "pages",
        "update_frequency": "weekly",
        "classification": "internal",
        "contains_personal_data": False,
        "tags": ["support", "knowledge"],
        "_owner": "viewer",
    },
    {
        "name": "Customer contracts archive",
        "description": "Signed customer and supplier contracts, mostly scanned.",
        "origin": "internal",
        "system_or_provider": "SharePoint (Legal)",
        "formats": ["pdf", "images"],
        "volume": Decimal("85000"),
        "volume_unit": "documents",
        "update_frequency": "daily",
        "classification": "restricted",
        "contains_personal_data": True,
        "personal_data_categories": ["contact", "identifiers", "financial"],
        "access_restrictions": "Legal department only; never leaves the data centre.",
        "access_granted_by": "General Counsel",
        "storage_cost_monthly": Decimal("90.00"),
        "storage_cost_currency": "EUR",
        "tags": ["legal", "contracts"],
        "_owner": "contributor",
    },
    {
        "name": "Clause library",
        "description": "Approved standard clauses with risk notes.",
        "origin": "internal",
        "system_or_provider": "Legal wiki",
        "formats": ["word"],
        "volume": Decimal("650"),
        "volume_unit": "documents",
        "update_frequency": "monthly",
        "classification": "confidential",
        "contains_personal_data": False,
        "access_granted_by": "Legal operations",
        "tags": ["legal"],
        "_owner": "contributor",
    },
    {
        "name": "Call-centre transcripts",
        "description": "Speech-to-text transcripts of recorded calls.",
        "origin": "internal",
        "system_or_provider": "Genesys Cloud",
        "formats": ["audio", "text"],
        "volume": Decimal("12"),
        "volume_unit": "TB",
        "update_frequency": "daily",
        "classification": "restricted",
        "contains_personal_data": True,
        "personal_data_categories": ["contact", "communications", "financial"],
        "access_restrictions": "Quality team; recordings kept 90 days.",
        "access_granted_by": "Data protection officer",
        "storage_cost_monthly": Decimal("1300.00"),
        "storage_cost_currency": "EUR",
        "tags": ["customers", "voice"],
        "_owner": "admin",
    },
    {
        "name": "HR policies",
        "description": "Staff handbook, travel and expense policies.",
        "origin": "internal",
        "system_or_provider": "Intranet",
        "formats": ["pdf", "html"],
        "volume": Decimal("320"),
        "volume_unit": "documents",
        "update_frequency": "quarterly",
        "classification": "internal",
        "contains_personal_data": False,
        "tags": ["knowledge", "hr"],
        "_owner": "viewer",
    },
    {
        "name": "EU regulations (EUR-Lex)",
        "description": "Insurance and data-protection regulations of the EU.",
        "origin": "external",
        "system_or_provider": "EUR-Lex",
        "formats": ["html", "xml"],
        "volume": Decimal("2500"),
        "volume_unit": "documents",
        "update_frequency": "weekly",
        "classification": "public",
        "contains_personal_data": False,
        "licence": "EUR-Lex reuse policy: free reuse with acknowledgement of the source.",
        "tags": ["legal", "regulation"],
        "_owner": "contributor",
    },
    {
        "name": "Market news feed",
        "description": "Licensed financial news and analyst notes.",
        "origin": "external",
        "system_or_provider": "Refinitiv",
        "formats": ["json"],
        "volume": Decimal("40000"),
        "volume_unit": "records",
        "update_frequency": "real_time",
        "classification": "internal",
        "contains_personal_data": False,
        "storage_cost_monthly": Decimal("6500.00"),
        "storage_cost_currency": "USD",
        "licence": "Commercial subscription: display to licensed users only; no use for machine learning.",
        "access_granted_by": "Market data desk",
        "tags": ["finance"],
        "_owner": "admin",
    },
    {
        "name": "Public FAQ corpus",
        "description": "Question-and-answer pairs collected from public FAQ pages.",
        "origin": "external",
        "system_or_provider": "Common Crawl",
        "formats": ["html"],
        "volume": Decimal("35"),
        "volume_unit": "GB",
        "update_frequency": "static",
        "classification": "public",
        "contains_personal_data": False,
        "licence": "Common Crawl terms of use; each page keeps its own copyright.",
        "tags": ["support"],
        "_owner": "contributor",
    },
    {
        "name": "Claims mailbox",
        "description": "E-mails sent to claims@, with attachments (medical reports, invoices).",
        "origin": "internal",
        "system_or_provider": "Microsoft Exchange",
        "formats": ["email", "pdf", "images"],
        "volume": Decimal("2400000"),
        "volume_unit": "messages",
        "update_frequency": "real_time",
        "classification": "restricted",
        "contains_personal_data": True,
        "personal_data_categories": ["contact", "health", "financial"],
        "access_restrictions": "Claims handlers only; health data under special-category rules.",
        "access_granted_by": "Head of claims and the DPO",
        "tags": ["claims", "customers"],
        "_owner": "contributor",
    },
    {
        "name": "Product manuals",
        "description": "Published product terms and manuals.",
        "origin": "internal",
        "system_or_provider": "Website CMS",
        "formats": ["pdf"],
        "volume": Decimal("180"),
        "volume_unit": "documents",
        "update_frequency": "monthly",
        "classification": "public",
        "contains_personal_data": False,
        "tags": ["knowledge", "support"],
        "_owner": "viewer",
    },
    {
        "name": "Customer CRM",
        "description": "Accounts, contacts and policy holdings.",
        "origin": "internal",
        "system_or_provider": "Salesforce",
        "formats": ["database"],
        "volume": Decimal("950000"),
        "volume_unit": "records",
        "update_frequency": "real_time",
        "classification": "confidential",
        "contains_personal_data": True,
        "personal_data_categories": ["contact", "identifiers", "financial"],
        "access_restrictions": "Sales and service; API access needs a data-sharing agreement.",
        "access_granted_by": "CRM product owner",
        "tags": ["customers"],
        "_owner": "admin",
    },
]

READY = {
    "relevance": "yes",
    "accessible_today": "yes",
    "access_status": "granted",
    "search_index": "none",
    "meets_quality_standard": "yes",
    "contains_confidential": "no",
    "anonymisation_required": "no",
}

ASSESSMENTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "Customer-support answer drafting",
        "Support tickets",
        {
            **READY,
            "relevance_rationale": "Every past answer and its question is in there.",
            "preprocessing": ["anonymisation", "deduplication", "chunking"],
            "search_index": "vector",
            "extra_cost_monthly": Decimal("250.00"),
            "extra_cost_currency": "EUR",
            "availability_rationale": "Vector index of anonymised answers in the EU region.",
            "meets_quality_standard": "partial",
            "contains_confidential": "yes",
            "anonymisation_required": "yes",
            "standardisation_rationale": "Names, phone numbers and policy numbers appear in free text.",
        },
    ),
    (
        "Customer-support answer drafting",
        "Product knowledge base",
        {**READY, "relevance_rationale": "The answers agents link to.", "terms_permit_use": "not_applicable"},
    ),
    (
        "Customer-support answer drafting",
        "Public FAQ corpus",
        {
            **READY,
            "relevance": "partial",
            "terms_permit_use": "unknown",
            "relevance_rationale": "General phrasing only; nothing about our products.",
        },
    ),
    (
        "Contract clause extraction",
        "Customer contracts archive",
        {
            **READY,
            "access_status": "requested",
            "preprocessing": ["ocr", "format_conversion"],
            "contains_confidential": "yes",
            "anonymisation_required": "no",
            "availability_rationale": "Scans need OCR; the request to Legal is pending.",
        },
    ),
    (
        "Contract clause extraction",
        "Clause library",
        {**READY, "contains_confidential": "yes", "terms_permit_use": "not_applicable"},
    ),
    ("Internal knowledge search", "HR policies", {**READY, "terms_permit_use": "not_applicable"}),
    ("Internal knowledge search", "Product manuals", {**READY, "terms_permit_use": "not_applicable"}),
    (
        "Internal knowledge search",
        "Market news feed",
        {
            **READY,
            "terms_permit_use": "no",
            "availability_rationale": "The subscription forbids any machine-learning use.",
        },
    ),
    (
        "Claims e-mail triage",
        "Claims mailbox",
        {
            **READY,
            "access_status": "refused",
            "accessible_today": "no",
            "contains_confidential": "yes",
            "anonymisation_required": "yes",
            "preprocessing": ["anonymisation", "ocr"],
            "availability_rationale": "The DPO refused access until a DPIA is done.",
        },
    ),
]


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    actor = members.get("contributor")
    for spec in SOURCES:
        fields = {k: v for k, v in spec.items() if not k.startswith("_")}
        if DataSource.objects.filter(name__iexact=fields["name"]).exists():
            continue
        datasource_create(organization=organization, actor=actor, owner=members.get(spec["_owner"]), **fields)
    for title, source_name, answers in ASSESSMENTS:
        use_case = UseCase.objects.filter(title__iexact=title).first()
        source = DataSource.objects.filter(name__iexact=source_name).first()
        if use_case is None or source is None:
            continue
        if DataAssessment.objects.filter(use_case=use_case, data_source=source).exists():
            continue
        assessment_create(organization=organization, actor=actor, use_case=use_case, data_source=source, **answers)
