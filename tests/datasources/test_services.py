"""Data-inventory and assessment services: validation, distinct sensitivity events, tags, deletion
rules, the all-or-nothing import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.datasources.models import DataAssessment, DataSource, Tag
from apps.datasources.services import (
    ImportRejected,
    assessment_create,
    assessment_delete,
    assessment_update,
    datasource_create,
    datasource_delete,
    datasource_import,
    datasource_update,
)
from tests.datasources.factories import DataSourceFactory
from tests.usecases.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def events(org: Any, prefix: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organization=org, action__startswith=prefix).order_by("seq"))


def create(org: Any, actor: Any, **extra: Any) -> DataSource:
    fields = {"name": "Support tickets", "origin": "internal", "classification": "internal", **extra}
    with org_scope(org):
        return datasource_create(organization=org, actor=actor, **fields)


def test_create_with_tags_and_audit(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"], tags=["Support", "tickets", "support"], formats=["email"])
    with org_scope(org_a):
        assert sorted(t.name for t in source.tags.all()) == ["Support", "tickets"]
    (event,) = events(org_a, "datasource.created")
    assert event.data["values"]["tags"] == ["Support", "tickets"]
    assert event.data["values"]["formats"] == ["email"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"origin": "external"}, "licence"),
        ({"contains_personal_data": True}, "personal_data_categories"),
        ({"personal_data_categories": ["health"]}, "personal_data_categories"),
        ({"volume": Decimal("3")}, "volume_unit"),
        ({"storage_cost_monthly": Decimal("3")}, "storage_cost_currency"),
        ({"formats": ["papyrus"]}, "formats"),
        ({"classification": "top-secret"}, "classification"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_sources_are_rejected(org_a: Any, members_a: Any, extra: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        create(org_a, members_a["contributor"], **extra)
    assert field in exc.value.message_dict
    with scopes_disabled():
        assert not DataSource.objects.exists()
        assert not Tag.objects.exists()


def test_names_are_unique_per_organization(org_a: Any, org_b: Any, members_a: Any, members_b: Any) -> None:
    create(org_a, members_a["contributor"])
    with pytest.raises(ValidationError):
        create(org_a, members_a["contributor"], name="SUPPORT TICKETS")
    create(org_b, members_b["contributor"])


def test_tags_are_per_organization(org_a: Any, org_b: Any, members_a: Any, members_b: Any) -> None:
    create(org_a, members_a["contributor"], tags=["shared"])
    create(org_b, members_b["contributor"], tags=["SHARED"])
    with scopes_disabled():
        assert sorted(Tag.objects.values_list("organization__slug", "name")) == [
            ("org-a", "shared"),
            ("org-b", "SHARED"),
        ]


def test_classification_and_pii_changes_are_distinct_events(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"], description="old")
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        assessment_create(organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=source)
        datasource_update(
            organization=org_a,
            actor=members_a["contributor"],
            data_source=source,
            classification="restricted",
            contains_personal_data=True,
            personal_data_categories=["health"],
            description="new",
        )
    (classification,) = events(org_a, "datasource.classification_changed")
    assert classification.data == {"old": "internal", "new": "restricted", "affected_use_cases": [use_case.pk]}
    (pii,) = events(org_a, "datasource.pii_changed")
    assert pii.data["old"] is False and pii.data["new"] is True
    assert pii.data["categories"] == {"old": [], "new": ["health"]}
    (updated,) = events(org_a, "datasource.updated")
    assert set(updated.data["changes"]) == {"description", "personal_data_categories"}


def test_update_without_sensitivity_change_writes_no_sensitivity_event(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        datasource_update(organization=org_a, actor=members_a["contributor"], data_source=source, tags=["new"])
    assert not events(org_a, "datasource.classification_changed")
    assert not events(org_a, "datasource.pii_changed")
    (updated,) = events(org_a, "datasource.updated")
    assert updated.data["changes"] == {"tags": {"old": [], "new": ["new"]}}


def test_unused_tags_are_pruned(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"], tags=["a", "b"])
    with org_scope(org_a):
        datasource_update(organization=org_a, actor=members_a["contributor"], data_source=source, tags=["b"])
        assert list(Tag.objects.values_list("name", flat=True)) == ["b"]


def test_delete_refused_while_assessed(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        assessment = assessment_create(
            organization=org_a,
            actor=members_a["contributor"],
            use_case=UseCaseFactory(organization=org_a, title="Knowledge search"),
            data_source=source,
        )
        with pytest.raises(ValidationError, match="Knowledge search"):
            datasource_delete(organization=org_a, actor=members_a["contributor"], data_source=source)
        assert DataSource.objects.filter(pk=source.pk).exists()
        assessment_delete(organization=org_a, actor=members_a["contributor"], assessment=assessment)
        datasource_delete(organization=org_a, actor=members_a["contributor"], data_source=source)
        assert not DataSource.objects.exists()
    assert [e.action for e in events(org_a, "datasource.deleted")] == ["datasource.deleted"]


# --- assessments -------------------------------------------------------------------------------------


def test_assessment_lifecycle_and_verdict_in_audit(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        assessment = assessment_create(
            organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=source
        )
        assert assessment.terms_permit_use == "not_applicable"  # internal data
        assert assessment.readiness.verdict == "needs_work"
        assessment = assessment_update(
            organization=org_a,
            actor=members_a["contributor"],
            assessment=assessment,
            relevance="no",
        )
        assert assessment.readiness.verdict == "blocked"
    created, updated = events(org_a, "data_assessment.")
    assert created.data["values"]["verdict"] == "needs_work"
    assert updated.data["changes"]["verdict"] == {"old": "needs_work", "new": "blocked"}
    assert updated.data["changes"]["relevance"] == {"old": "unknown", "new": "no"}
    assert updated.data["use_case"] == use_case.pk


def test_one_assessment_per_use_case_and_source(org_a: Any, members_a: Any) -> None:
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        assessment_create(organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=source)
        with pytest.raises(ValidationError) as exc:
            assessment_create(organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=source)
    assert "data_source" in exc.value.message_dict


def test_assessment_refuses_foreign_objects(org_a: Any, org_b: Any, members_a: Any) -> None:
    with org_scope(org_b):
        theirs = DataSourceFactory(organization=org_b)
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        with pytest.raises(PermissionError):
            assessment_create(organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=theirs)
        assert not DataAssessment.objects.exists()


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"extra_cost_monthly": Decimal("5")}, "extra_cost_currency"),
        ({"preprocessing": ["other"]}, "preprocessing_notes"),
        ({"preprocessing": ["magic"]}, "preprocessing"),
        ({"relevance": "maybe"}, "relevance"),
    ],
)
def test_invalid_answers(org_a: Any, members_a: Any, answers: Any, field: str) -> None:
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        with pytest.raises(ValidationError) as exc:
            assessment_create(
                organization=org_a, actor=members_a["contributor"], use_case=use_case, data_source=source, **answers
            )
        assert field in exc.value.message_dict
        assert not DataAssessment.objects.exists()


def test_readiness_follows_source_changes_without_stale_copies(org_a: Any, members_a: Any) -> None:
    """The verdict is computed on read: a source reclassified later changes it at once."""
    source = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        assessment_create(
            organization=org_a,
            actor=members_a["contributor"],
            use_case=use_case,
            data_source=source,
            relevance="yes",
            accessible_today="yes",
            access_status="granted",
            search_index="none",
            meets_quality_standard="yes",
            contains_confidential="no",
            anonymisation_required="no",
        )
        assert DataAssessment.objects.get().readiness.verdict == "ready"
        datasource_update(
            organization=org_a, actor=members_a["contributor"], data_source=source, classification="restricted"
        )
        result = DataAssessment.objects.get().readiness
    assert result.verdict == "needs_work"
    assert result.codes == ["classification_mismatch"]


# --- import -------------------------------------------------------------------------------------------

HEADER = "name,origin,classification,contains_personal_data,personal_data_categories,owner_email,tags,licence\n"


def run_import(org: Any, actor: Any, body: str, filename: str = "inventory.csv") -> list[DataSource]:
    with org_scope(org):
        return datasource_import(organization=org, actor=actor, data=(HEADER + body).encode(), filename=filename)


def test_import_creates_everything_with_owner_and_tags(org_a: Any, members_a: Any) -> None:
    created = run_import(
        org_a,
        members_a["contributor"],
        'CRM,internal,confidential,yes,contact,viewer@a.test,"crm, sales",\n'
        "Market data,external,public,no,,,,CC BY 4.0\n",
    )
    assert [s.name for s in created] == ["CRM", "Market data"]
    with org_scope(org_a):
        crm = DataSource.objects.get(name="CRM")
        assert crm.owner == members_a["viewer"]
        assert sorted(t.name for t in crm.tags.all()) == ["crm", "sales"]
    assert len(events(org_a, "datasource.created")) == 2
    (summary,) = events(org_a, "datasource.imported")
    assert summary.data["count"] == 2


def test_import_with_one_bad_row_imports_nothing(org_a: Any, members_a: Any) -> None:
    with pytest.raises(ImportRejected) as exc:
        run_import(
            org_a,
            members_a["contributor"],
            "Good one,internal,internal,no,,,,\n"
            "Bad one,internal,secret,no,,,,\n"
            "Another good,internal,internal,no,,,,\n",
        )
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "classification")]
    with scopes_disabled():
        assert not DataSource.objects.exists()
    assert not events(org_a, "datasource.")


def test_import_checks_owner_membership_and_existing_names(org_a: Any, members_a: Any, members_b: Any) -> None:
    create(org_a, members_a["contributor"], name="CRM")
    with pytest.raises(ImportRejected) as exc:
        run_import(
            org_a,
            members_a["contributor"],
            "crm,internal,internal,no,,,,\nWiki,internal,internal,no,,contributor@b.test,,\n",
        )
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "name"), (3, "owner_email")]
    with org_scope(org_a):
        assert DataSource.objects.count() == 1


def test_import_file_errors_are_reported_without_row(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a), pytest.raises(ImportRejected) as exc:
        datasource_import(organization=org_a, actor=members_a["contributor"], data=b"\x00garbage", filename="x.xlsx")
    assert [(e.row, e.column) for e in exc.value.errors] == [(None, None)]
    assert "Excel" in str(exc.value.errors[0].message)
