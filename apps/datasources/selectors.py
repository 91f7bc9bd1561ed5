"""Reads of the data inventory and of data assessments, shared by pages and the API. Every function
runs inside the organization's scope (the managers refuse to run without one) and loads what it
shows in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_events_for_org
from apps.datasources import readiness
from apps.datasources.choices import CLASSIFICATION_RANK, RANK_CLASSIFICATION, highest_classification
from apps.datasources.models import DataAssessment, DataSource, Tag
from apps.organizations.models import Organization
from apps.usecases.models import UseCase

HISTORY_LIMIT = 200


def datasource_list() -> QuerySet[DataSource]:
    """The inventory with owner and tags loaded and the number of assessments per source."""
    return (
        DataSource.objects.select_related("owner")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(assessment_count=Count("assessments", distinct=True))
        .order_by("name", "pk")
    )


def datasource_detail() -> QuerySet[DataSource]:
    return DataSource.objects.select_related("owner", "created_by").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch(
            "assessments",
            queryset=DataAssessment.objects.select_related("use_case", "use_case__owner").order_by("use_case__title"),
        ),
    )


def datasource_export_rows(queryset: QuerySet[DataSource]) -> list[dict[str, Any]]:
    """Plain rows in the import template's columns."""
    rows = []
    for source in queryset:
        rows.append(
            {
                "name": source.name,
                "description": source.description,
                "owner_email": source.owner.email if source.owner else "",
                "origin": source.origin,
                "system_or_provider": source.system_or_provider,
                "formats": source.formats,
                "volume": source.volume,
                "volume_unit": source.volume_unit,
                "update_frequency": source.update_frequency,
                "classification": source.classification,
                "contains_personal_data": source.contains_personal_data,
                "personal_data_categories": source.personal_data_categories,
                "access_restrictions": source.access_restrictions,
                "access_granted_by": source.access_granted_by,
                "storage_cost_monthly": source.storage_cost_monthly,
                "storage_cost_currency": source.storage_cost_currency,
                "licence": source.licence,
                "tags": [t.name for t in source.tags.all()],
            }
        )
    return rows


def tag_names() -> list[str]:
    return list(Tag.objects.order_by("name").values_list("name", flat=True))


def existing_datasource_names() -> list[str]:
    return list(DataSource.objects.values_list("name", flat=True))


def assessment_list() -> QuerySet[DataAssessment]:
    """Assessments with what their readiness needs (source, use case) already joined."""
    return DataAssessment.objects.select_related("use_case", "data_source", "assessed_by").order_by(
        "use_case__title", "data_source__name", "pk"
    )


def assessable_datasources(*, use_case: UseCase) -> QuerySet[DataSource]:
    """Sources not yet assessed for ``use_case``."""
    return DataSource.objects.exclude(assessments__use_case=use_case).order_by("name")


# --- use-case roll-ups ---------------------------------------------------------------------------


def classification_rank_expression(prefix: str = "data_assessments__data_source__") -> Case:
    return Case(
        *[When(**{f"{prefix}classification": value}, then=Value(rank)) for value, rank in CLASSIFICATION_RANK.items()],
        default=Value(None),
        output_field=IntegerField(),
    )


def with_highest_classification(queryset: QuerySet[UseCase]) -> QuerySet[UseCase]:
    """Annotate ``highest_classification_rank`` (the most sensitive source a use case touches)."""
    return queryset.annotate(highest_classification_rank=Max(classification_rank_expression()))


def usecase_highest_classification(*, use_case: UseCase) -> str | None:
    cache = getattr(use_case, "_prefetched_objects_cache", {})
    if "data_assessments" in cache:
        return highest_classification([a.data_source.classification for a in cache["data_assessments"]])
    rank = getattr(use_case, "highest_classification_rank", ...)
    if rank is ...:
        rank = UseCase.objects.filter(pk=use_case.pk).aggregate(r=Max(classification_rank_expression()))["r"]
    return RANK_CLASSIFICATION.get(rank) if rank else None


def usecase_assessments_prefetch() -> Prefetch:
    return Prefetch(
        "data_assessments",
        queryset=DataAssessment.objects.select_related("data_source", "data_source__owner").order_by(
            "data_source__name", "pk"
        ),
    )


def usecase_readiness(*, use_case: UseCase) -> readiness.RollUp:
    """The roll-up verdict over the use case's assessments (prefetch them for lists)."""
    return readiness.rollup(a.readiness for a in use_case.data_assessments.all())


# --- history ---------------------------------------------------------------------------------------


def object_history(
    *, organization: Organization, targets: list[tuple[str, list[Any]]], limit: int = HISTORY_LIMIT
) -> list[AuditEvent]:
    """Audit events whose target is one of ``targets`` ((model label, ids) pairs), newest first."""
    query = Q(pk__in=[])
    for label, ids in targets:
        if ids:
            query |= Q(target_type=label, target_id__in=[str(i) for i in ids])
    return list(audit_events_for_org(organization=organization).filter(query)[:limit])


def datasource_history(*, organization: Organization, data_source: DataSource) -> list[AuditEvent]:
    return object_history(organization=organization, targets=[(DataSource._meta.label_lower, [data_source.pk])])


def assessment_history(*, organization: Organization, assessment: DataAssessment) -> list[AuditEvent]:
    return object_history(organization=organization, targets=[(DataAssessment._meta.label_lower, [assessment.pk])])
