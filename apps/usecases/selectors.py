"""Reads of use cases shared by pages and the API (inside the organization's scope; constant query
counts: owner joined, assessments with their sources and the phase history prefetched)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_events_for_org
from apps.datasources.models import DataAssessment
from apps.datasources.selectors import HISTORY_LIMIT, usecase_assessments_prefetch, with_highest_classification
from apps.organizations.models import Membership, Organization
from apps.usecases.models import PhaseTransition, UseCase


def usecase_list() -> QuerySet[UseCase]:
    return with_highest_classification(
        UseCase.objects.select_related("owner").prefetch_related(usecase_assessments_prefetch())
    ).order_by("title", "pk")


def usecase_detail() -> QuerySet[UseCase]:
    return UseCase.objects.select_related("owner", "created_by").prefetch_related(
        usecase_assessments_prefetch(),
        Prefetch("phase_transitions", queryset=PhaseTransition.objects.select_related("actor").order_by("created_at")),
    )


def phase_transition_list() -> QuerySet[PhaseTransition]:
    return PhaseTransition.objects.select_related("use_case", "actor").order_by("-created_at", "-pk")


def business_units() -> list[str]:
    return list(
        UseCase.objects.exclude(business_unit="")
        .order_by("business_unit")
        .values_list("business_unit", flat=True)
        .distinct()
    )


def member_users(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def usecase_history(*, organization: Organization, use_case: UseCase) -> list[AuditEvent]:
    """Events of the use case and of its data assessments (also deleted ones: assessment events
    carry the use case's id), newest first."""
    query = Q(target_type=UseCase._meta.label_lower, target_id=str(use_case.pk)) | Q(
        target_type=DataAssessment._meta.label_lower, data__use_case=use_case.pk
    )
    return list(audit_events_for_org(organization=organization).filter(query)[:HISTORY_LIMIT])
