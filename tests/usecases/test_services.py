"""Use-case services: validation, per-organization uniqueness, phase moves, audit events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.usecases.models import PhaseTransition, UseCase
from apps.usecases.services import usecase_create, usecase_delete, usecase_move_phase, usecase_update
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory

pytestmark = pytest.mark.django_db


def events(org: Any, action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organization=org, action=action).order_by("seq"))


def create(org: Any, actor: Any, **extra: Any) -> UseCase:
    fields = {"title": "Customer-support answer drafting", "business_problem": "Slow answers.", **extra}
    with org_scope(org):
        return usecase_create(organization=org, actor=actor, **fields)


def test_create_records_every_value_in_the_audit(org_a: Any, members_a: Any) -> None:
    use_case = create(
        org_a,
        members_a["contributor"],
        owner=members_a["viewer"],
        monthly_budget=Decimal("1200.00"),
        budget_currency="EUR",
        languages=["en", "ru"],
        min_context_tokens=32000,
    )
    assert use_case.phase == "ideation"
    (event,) = events(org_a, "usecase.created")
    assert event.actor_id == members_a["contributor"].pk
    assert event.target_id == str(use_case.pk)
    assert event.data["values"]["owner_id"] == members_a["viewer"].pk
    assert event.data["values"]["monthly_budget"] == "1200.00"
    assert event.data["values"]["phase"] == "ideation"


def test_owner_must_be_a_member(org_a: Any, members_a: Any, members_b: Any) -> None:
    for stranger in (members_a["outsider"], members_b["contributor"]):
        with pytest.raises(ValidationError) as exc:
            create(org_a, members_a["contributor"], owner=stranger)
        assert "owner" in exc.value.message_dict
    with scopes_disabled():
        assert not UseCase.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"monthly_budget": Decimal("10")}, "budget_currency"),
        ({"data_residency": "specific_country"}, "data_residency_note"),
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"min_context_tokens": 0}, "min_context_tokens"),
        ({"monthly_budget": Decimal("-1"), "budget_currency": "EUR"}, "monthly_budget"),
        ({"title": "  "}, "title"),
        ({"status": "nonsense"}, "status"),
    ],
)
def test_invalid_values_are_rejected_with_the_field(org_a: Any, members_a: Any, extra: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        create(org_a, members_a["contributor"], **extra)
    assert field in exc.value.message_dict
    assert not events(org_a, "usecase.created")


def test_titles_are_unique_per_organization_case_insensitively(
    org_a: Any, org_b: Any, members_a: Any, members_b: Any
) -> None:
    create(org_a, members_a["contributor"])
    with pytest.raises(ValidationError) as exc:
        create(org_a, members_a["contributor"], title="CUSTOMER-SUPPORT ANSWER DRAFTING")
    assert "title" in exc.value.message_dict
    create(org_b, members_b["contributor"])  # another organization may use the same title


def test_update_audits_before_and_after(org_a: Any, members_a: Any) -> None:
    use_case = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        usecase_update(
            organization=org_a, actor=members_a["contributor"], use_case=use_case, status="active", realtime=True
        )
        usecase_update(organization=org_a, actor=members_a["contributor"], use_case=use_case, status="active")
    (event,) = events(org_a, "usecase.updated")  # the no-op update writes nothing
    assert event.data["changes"] == {
        "realtime": {"old": False, "new": True},
        "status": {"old": "draft", "new": "active"},
    }


def test_update_refuses_a_title_taken_by_another(org_a: Any, members_a: Any) -> None:
    create(org_a, members_a["contributor"], title="A")
    second = create(org_a, members_a["contributor"], title="B")
    with org_scope(org_a), pytest.raises(ValidationError):
        usecase_update(organization=org_a, actor=members_a["contributor"], use_case=second, title="a")


def test_update_refuses_another_organizations_use_case(org_a: Any, org_b: Any, members_a: Any, members_b: Any) -> None:
    theirs = create(org_b, members_b["contributor"])
    with org_scope(org_a), pytest.raises(PermissionError):
        usecase_update(organization=org_a, actor=members_a["contributor"], use_case=theirs, title="Mine now")


def test_phase_moves_in_any_direction_and_are_recorded(org_a: Any, members_a: Any) -> None:
    use_case = create(org_a, members_a["contributor"])
    actor = members_a["contributor"]
    with org_scope(org_a):
        usecase_move_phase(
            organization=org_a,
            actor=actor,
            use_case=use_case,
            to_phase="operation",
            reason="Skipped development: vendor product.",
        )
        usecase_move_phase(
            organization=org_a,
            actor=actor,
            use_case=use_case,
            to_phase="ideation",
            reason="Back to the drawing board: data unavailable.",
        )
        usecase_move_phase(
            organization=org_a, actor=actor, use_case=use_case, to_phase="development", reason="New data source found."
        )
        transitions = list(PhaseTransition.objects.filter(use_case=use_case).order_by("created_at", "pk"))
        use_case.refresh_from_db()
    assert use_case.phase == "development"
    assert [(t.from_phase, t.to_phase) for t in transitions] == [
        ("ideation", "operation"),
        ("operation", "ideation"),
        ("ideation", "development"),
    ]
    assert all(t.actor_id == actor.pk for t in transitions)
    audit = events(org_a, "usecase.phase_changed")
    assert [e.data["changes"]["phase"] for e in audit] == [
        {"old": "ideation", "new": "operation"},
        {"old": "operation", "new": "ideation"},
        {"old": "ideation", "new": "development"},
    ]
    assert audit[1].data["reason"] == "Back to the drawing board: data unavailable."


@pytest.mark.parametrize(
    ("to_phase", "reason", "field"),
    [("development", "   ", "reason"), ("ideation", "Why not", "to_phase"), ("production", "x", "to_phase")],
)
def test_bad_phase_moves_change_nothing(org_a: Any, members_a: Any, to_phase: str, reason: str, field: str) -> None:
    use_case = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        with pytest.raises(ValidationError) as exc:
            usecase_move_phase(
                organization=org_a, actor=members_a["contributor"], use_case=use_case, to_phase=to_phase, reason=reason
            )
        assert field in exc.value.message_dict
        assert not PhaseTransition.objects.exists()
        use_case.refresh_from_db()
    assert use_case.phase == "ideation"
    assert not events(org_a, "usecase.phase_changed")


def test_delete_removes_history_and_assessments_but_keeps_sources(org_a: Any, members_a: Any) -> None:
    use_case = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        source = DataSourceFactory(organization=org_a, name="CRM")
        DataAssessmentFactory(organization=org_a, use_case=use_case, data_source=source)
        usecase_move_phase(
            organization=org_a, actor=members_a["contributor"], use_case=use_case, to_phase="development", reason="go"
        )
        usecase_delete(organization=org_a, actor=members_a["contributor"], use_case=use_case)
        assert not UseCase.objects.exists()
        assert not PhaseTransition.objects.exists()
        assert source.__class__.objects.filter(pk=source.pk).exists()
    (event,) = events(org_a, "usecase.deleted")
    assert event.data["assessed_data_sources"] == ["CRM"]
    assert event.data["values"]["title"] == "Customer-support answer drafting"


def test_highest_classification_is_derived_from_the_assessed_sources(org_a: Any, members_a: Any) -> None:
    use_case = create(org_a, members_a["contributor"])
    with org_scope(org_a):
        assert use_case.highest_classification() is None
        for classification in ("public", "confidential", "internal"):
            DataAssessmentFactory(
                organization=org_a,
                use_case=use_case,
                data_source=DataSourceFactory(organization=org_a, classification=classification),
            )
        fresh = UseCase.objects.get(pk=use_case.pk)
        assert fresh.highest_classification() == "confidential"
        from apps.usecases.selectors import usecase_detail, usecase_list

        assert usecase_list().get(pk=use_case.pk).highest_classification() == "confidential"
        assert usecase_detail().get(pk=use_case.pk).highest_classification() == "confidential"
