"""State changes of use cases. Each validates with ``full_clean()``, writes its audit event in the
same transaction and refuses objects of another organization."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record, diff, snapshot
from apps.core.services import delete_or_refuse
from apps.core.tenancy import assert_same_org
from apps.organizations.models import Membership, Organization
from apps.usecases.choices import Phase
from apps.usecases.models import PhaseTransition, UseCase

#: The fields a person edits (forms and the API); ``phase`` moves only through usecase_move_phase.
USECASE_FIELDS: tuple[str, ...] = (
    "title",
    "business_problem",
    "expected_value",
    "owner",
    "business_unit",
    "status",
    "min_context_tokens",
    "max_latency_ms",
    "realtime",
    "monthly_requests",
    "input_tokens_per_request",
    "output_tokens_per_request",
    "monthly_budget",
    "budget_currency",
    "languages",
    "commercial_use",
    "data_residency",
    "data_residency_note",
    "fine_tuning_needed",
)
_AUDIT_FIELDS = [("owner_id" if f == "owner" else f) for f in USECASE_FIELDS]


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(USECASE_FIELDS)
    if unknown:
        raise TypeError(f"not editable use-case fields: {sorted(unknown)}")


def _check_owner(organization: Organization, owner: Any) -> None:
    if owner is None:
        return
    if not Membership.objects.filter(organization=organization, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of this organization.")}, code="not_member")


def _save(use_case: UseCase) -> None:
    use_case.full_clean(exclude=["organization"], validate_constraints=False)
    try:
        with transaction.atomic():
            use_case.save()
    except IntegrityError as exc:
        raise ValidationError({"title": _("A use case with this title already exists.")}, code="unique") from exc


def _title_taken(organization: Organization, title: str, exclude_pk: int | None = None) -> bool:
    qs = UseCase.objects.filter(organization=organization, title__iexact=(title or "").strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def usecase_create(*, organization: Organization, actor: Any, **fields: Any) -> UseCase:
    _check_fields(fields)
    _check_owner(organization, fields.get("owner"))
    use_case = UseCase(organization=organization, created_by=actor, **fields)
    use_case.title = (use_case.title or "").strip()
    if _title_taken(organization, use_case.title):
        raise ValidationError({"title": _("A use case with this title already exists.")}, code="unique")
    _save(use_case)
    audit_record(
        organization=organization,
        actor=actor,
        action="usecase.created",
        target=use_case,
        data={"values": snapshot(use_case, [*_AUDIT_FIELDS, "phase"])},
    )
    return use_case


@transaction.atomic
def usecase_update(*, organization: Organization, actor: Any, use_case: UseCase, **fields: Any) -> UseCase:
    _check_fields(fields)
    assert_same_org(organization, use_case)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk, organization=organization)
    if "owner" in fields:
        _check_owner(organization, fields["owner"])
    before = snapshot(use_case, _AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(use_case, name, value)
    use_case.title = (use_case.title or "").strip()
    if "title" in fields and _title_taken(organization, use_case.title, exclude_pk=use_case.pk):
        raise ValidationError({"title": _("A use case with this title already exists.")}, code="unique")
    _save(use_case)
    changes = diff(before, snapshot(use_case, _AUDIT_FIELDS))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="usecase.updated",
            target=use_case,
            data={"changes": changes},
        )
    return use_case


@transaction.atomic
def usecase_delete(*, organization: Organization, actor: Any, use_case: UseCase) -> None:
    """Deletes the use case with its phase history and data assessments (the audit log keeps them)."""
    assert_same_org(organization, use_case)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk, organization=organization)
    assessed = list(use_case.data_assessments.values_list("data_source__name", flat=True))
    audit_record(
        organization=organization,
        actor=actor,
        action="usecase.deleted",
        target=use_case,
        data={"values": snapshot(use_case, [*_AUDIT_FIELDS, "phase"]), "assessed_data_sources": assessed},
    )
    delete_or_refuse(use_case)


@transaction.atomic
def usecase_move_phase(
    *, organization: Organization, actor: Any, use_case: UseCase, to_phase: str, reason: str
) -> PhaseTransition:
    """Move to any other phase (the life cycle is not linear); the reason is required."""
    assert_same_org(organization, use_case)
    locked = UseCase.objects.select_for_update().get(pk=use_case.pk, organization=organization)
    if to_phase not in Phase.values:
        raise ValidationError({"to_phase": _("Unknown phase.")}, code="invalid_choice")
    transition = PhaseTransition(
        organization=organization,
        use_case=locked,
        from_phase=locked.phase,
        to_phase=to_phase,
        reason=(reason or "").strip(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=timezone.now(),
    )
    transition.full_clean(exclude=["organization", "use_case", "actor"])
    transition.save()
    locked.phase = to_phase
    locked.phase_changed_at = transition.created_at
    locked.save(update_fields=["phase", "phase_changed_at", "updated_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action="usecase.phase_changed",
        target=locked,
        data={
            "changes": {"phase": {"old": transition.from_phase, "new": to_phase}},
            "reason": transition.reason,
            "transition": transition.pk,
        },
    )
    use_case.phase, use_case.phase_changed_at = locked.phase, locked.phase_changed_at
    return transition
