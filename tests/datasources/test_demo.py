"""The demo content (apps/usecases/demo.py, apps/datasources/demo.py): valid, idempotent, and
showing what the issue asks for."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.tenancy import org_scope
from apps.datasources import demo as datasources_demo
from apps.datasources.models import DataAssessment, DataSource
from apps.usecases import demo as usecases_demo
from apps.usecases.models import PhaseTransition, UseCase

pytestmark = pytest.mark.django_db


def seed(org: Any, members: dict[str, Any]) -> None:
    with org_scope(org):
        usecases_demo.seed_demo(organization=org, members=members)
        datasources_demo.seed_demo(organization=org, members=members)


def test_demo_content_and_idempotence(org_a: Any, members_a: Any) -> None:
    seed(org_a, members_a)
    with org_scope(org_a):
        counts = (
            UseCase.objects.count(),
            PhaseTransition.objects.count(),
            DataSource.objects.count(),
            DataAssessment.objects.count(),
        )
    seed(org_a, members_a)
    with org_scope(org_a):
        assert counts == (
            UseCase.objects.count(),
            PhaseTransition.objects.count(),
            DataSource.objects.count(),
            DataAssessment.objects.count(),
        )
        assert UseCase.objects.count() >= 3
        assert set(UseCase.objects.values_list("phase", flat=True)) == {"ideation", "development", "operation"}
        assert PhaseTransition.objects.filter(to_phase="ideation").exists()  # a move back
        sources = list(DataSource.objects.all())
        assert len(sources) >= 10
        assert {s.origin for s in sources} == {"internal", "external"}
        assert {s.classification for s in sources} == {"public", "internal", "confidential", "restricted"}
        assert any(s.contains_personal_data for s in sources)
        verdicts = {a.readiness.verdict for a in DataAssessment.objects.select_related("use_case", "data_source")}
    assert verdicts == {"ready", "needs_work", "blocked"}


def test_demo_in_two_organizations(org_a: Any, members_a: Any, org_b: Any, members_b: Any) -> None:
    seed(org_a, members_a)
    seed(org_b, members_b)
    with org_scope(org_b):
        assert DataSource.objects.count() == 12
