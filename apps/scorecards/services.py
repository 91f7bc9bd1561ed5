"""State changes of scorecards and the organization's scoring rules.

Every service takes ``organization`` and ``actor`` first (keyword-only), refuses objects of another
organization, validates with ``full_clean()`` and writes its audit event in the same transaction.
A frozen scorecard never changes: editing it creates the next version (``scorecard_update``), and
its candidates can only be edited on that new version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record, diff, snapshot
from apps.core.tenancy import assert_same_org
from apps.organizations.models import Organization
from apps.scorecards.models import DataPolicy, Scorecard, ScorecardCandidate, WeightProfile, validate_weights
from apps.scorecards.scoring import ScoringError

SCORECARD_FIELDS: tuple[str, ...] = ("title", "description", "weight_overrides", "missing_rule", "currency_rates")
CANDIDATE_FIELDS: tuple[str, ...] = (
    "hosting_country",
    "dpa_in_place",
    "support_contract",
    "transparency",
    "price_per_hour",
    "throughput_tps",
    "hours_per_month",
    "peak_factor",
    "min_instances",
    "power_kw",
    "pue",
    "notes",
)
_CANDIDATE_AUDIT = ["registered_model_id", *CANDIDATE_FIELDS]
MAX_CANDIDATES = 200


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable fields: {sorted(unknown)}")


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_hash(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


# --- organization rules ------------------------------------------------------------------------------


@transaction.atomic
def weight_profile_update(*, organization: Organization, actor: Any, **fields: Any) -> WeightProfile:
    _check(fields, ("weights", "missing_rule", "prefer_larger_models"))
    profile, _created = WeightProfile.objects.select_for_update().get_or_create(organization=organization)
    before = snapshot(profile, ["weights", "missing_rule", "prefer_larger_models"])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.updated_at = timezone.now()
    profile.updated_by = _user(actor)
    profile.full_clean(exclude=["organization"], validate_constraints=False)
    profile.save()
    changes = diff(before, snapshot(profile, ["weights", "missing_rule", "prefer_larger_models"]))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="scorecards.weight_profile_updated",
            target=profile,
            data={"changes": changes},
        )
    return profile


@transaction.atomic
def data_policy_update(*, organization: Organization, actor: Any, rules: dict[str, str]) -> DataPolicy:
    policy, _created = DataPolicy.objects.select_for_update().get_or_create(organization=organization)
    before = snapshot(policy, ["rules"])
    policy.rules = {**(policy.rules or {}), **(rules or {})} if isinstance(rules, dict) else rules
    policy.updated_at = timezone.now()
    policy.updated_by = _user(actor)
    policy.full_clean(exclude=["organization"], validate_constraints=False)
    policy.save()
    changes = diff(before["rules"], snapshot(policy, ["rules"])["rules"])
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="scorecards.data_policy_updated",
            target=policy,
            data={"changes": changes},
        )
    return policy


# --- scorecards ----------------------------------------------------------------------------------------


def _refuse_frozen(scorecard: Scorecard) -> None:
    if scorecard.is_frozen:
        raise ValidationError(
            _("This scorecard is frozen. Create a new version to change it."), code="scorecard_frozen"
        )


def _locked(organization: Organization, scorecard: Scorecard) -> Scorecard:
    assert_same_org(organization, scorecard)
    return Scorecard.objects.select_for_update().get(pk=scorecard.pk, organization=organization)


def _check_use_case(organization: Organization, use_case: Any) -> None:
    if use_case is None or use_case.organization_id != organization.pk:
        raise ValidationError({"use_case": _("Choose a use case of this organization.")}, code="invalid_choice")


def _check_registered_model(organization: Organization, registered_model: Any) -> None:
    if registered_model is None or registered_model.organization_id != organization.pk:
        raise ValidationError(
            {"registered_model": _("Choose a registered model of this organization.")}, code="invalid_choice"
        )


@transaction.atomic
def scorecard_create(
    *,
    organization: Organization,
    actor: Any,
    use_case: Any,
    registered_models: list[Any] | tuple[Any, ...] = (),
    **fields: Any,
) -> Scorecard:
    _check(fields, SCORECARD_FIELDS)
    _check_use_case(organization, use_case)
    scorecard = Scorecard(organization=organization, use_case=use_case, created_by=_user(actor), **fields)
    scorecard.title = (scorecard.title or "").strip()
    scorecard.full_clean(exclude=["organization", "use_case"], validate_constraints=False)
    scorecard.save()
    for registered in registered_models:
        _candidate_insert(organization, scorecard, registered, {})
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.created",
        target=scorecard,
        data={
            "values": snapshot(scorecard, ["use_case_id", *SCORECARD_FIELDS, "version"]),
            "candidates": [r.pk for r in registered_models],
        },
    )
    return scorecard


def _apply(scorecard: Scorecard, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(scorecard, name, value)
    scorecard.title = (scorecard.title or "").strip()
    scorecard.updated_at = timezone.now()
    scorecard.full_clean(exclude=["organization", "use_case"], validate_constraints=False)


@transaction.atomic
def scorecard_update(*, organization: Organization, actor: Any, scorecard: Scorecard, **fields: Any) -> Scorecard:
    """Change a draft; on a frozen scorecard, create the next version with the changes applied."""
    _check(fields, SCORECARD_FIELDS)
    locked = _locked(organization, scorecard)
    if locked.is_frozen:
        new = scorecard_new_version(organization=organization, actor=actor, scorecard=locked)
        if fields:
            return scorecard_update(organization=organization, actor=actor, scorecard=new, **fields)
        return new
    before = snapshot(locked, list(SCORECARD_FIELDS))
    _apply(locked, fields)
    locked.save()
    changes = diff(before, snapshot(locked, list(SCORECARD_FIELDS)))
    if changes:
        audit_record(
            organization=organization, actor=actor, action="scorecard.updated", target=locked, data={"changes": changes}
        )
    return locked


@transaction.atomic
def scorecard_delete(*, organization: Organization, actor: Any, scorecard: Scorecard) -> None:
    locked = _locked(organization, scorecard)
    if locked.is_frozen:
        raise ValidationError(_("A frozen scorecard is a record and cannot be deleted."), code="scorecard_frozen")
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.deleted",
        target=locked,
        data={
            "values": snapshot(locked, ["use_case_id", *SCORECARD_FIELDS, "version"]),
            "candidates": list(locked.candidates.values_list("registered_model_id", flat=True)),
        },
    )
    locked.delete()


@transaction.atomic
def scorecard_new_version(*, organization: Organization, actor: Any, scorecard: Scorecard) -> Scorecard:
    """A draft copy of a frozen scorecard (same lineage, next version number), candidates included."""
    source = _locked(organization, scorecard)
    if not source.is_frozen:
        raise ValidationError(
            _("Only a frozen scorecard gets new versions; edit this draft instead."), code="not_frozen"
        )
    last = Scorecard.objects.filter(organization=organization, lineage=source.lineage).aggregate(v=Max("version"))["v"]
    new = Scorecard(
        organization=organization,
        use_case=source.use_case,
        title=source.title,
        description=source.description,
        weight_overrides=dict(source.weight_overrides or {}),
        missing_rule=source.missing_rule,
        currency_rates=dict(source.currency_rates or {}),
        lineage=source.lineage,
        version=(last or source.version) + 1,
        previous=source,
        created_by=_user(actor),
    )
    new.full_clean(exclude=["organization", "use_case", "previous"], validate_constraints=False)
    new.save()
    copies = [
        ScorecardCandidate(
            organization=organization,
            scorecard=new,
            registered_model_id=c.registered_model_id,
            position=c.position,
            **{f: getattr(c, f) for f in CANDIDATE_FIELDS},
        )
        for c in source.candidates.all()
    ]
    ScorecardCandidate.objects.bulk_create(copies)
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.version_created",
        target=new,
        data={"previous": source.pk, "previous_version": source.version, "version": new.version},
    )
    return new


@transaction.atomic
def scorecard_freeze(*, organization: Organization, actor: Any, scorecard: Scorecard) -> Scorecard:
    """Store the immutable snapshot (inputs, sources, weights, results) and its SHA-256."""
    from apps.scorecards.selectors import scorecard_evaluate

    locked = _locked(organization, scorecard)
    _refuse_frozen(locked)
    candidates = list(
        ScorecardCandidate.objects.filter(organization=organization, scorecard=locked).select_related(
            "registered_model__catalog_entry"
        )
    )
    if not candidates:
        raise ValidationError(_("Add at least one candidate before freezing."), code="no_candidates")
    try:
        evaluation = scorecard_evaluate(organization=organization, scorecard=locked, candidates=candidates)
    except ScoringError as exc:
        from apps.scorecards.display import scoring_error_text

        raise ValidationError(scoring_error_text(exc), code=exc.code) from exc
    now = timezone.now()
    data = evaluation.to_dict()
    data["scorecard"] = {
        "id": locked.pk,
        "lineage": str(locked.lineage),
        "version": locked.version,
        "title": locked.title,
        "use_case": {"id": locked.use_case_id, "title": locked.use_case.title},
        "registered_models": {str(c.pk): c.registered_model_id for c in candidates},
        "frozen_at": now.isoformat(),
    }
    data = json.loads(canonical_json(data))
    locked.snapshot = data
    locked.snapshot_sha256 = snapshot_hash(data)
    locked.status = Scorecard.Status.FROZEN
    locked.frozen_at = now
    locked.frozen_by = _user(actor)
    locked.updated_at = now
    locked.save()
    winners = [c.label for c in evaluation.result.winners]
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.frozen",
        target=locked,
        data={"version": locked.version, "sha256": locked.snapshot_sha256, "winners": winners},
    )
    return locked


def snapshot_verifies(scorecard: Scorecard) -> bool:
    return bool(scorecard.snapshot) and snapshot_hash(scorecard.snapshot) == scorecard.snapshot_sha256


# --- candidates ---------------------------------------------------------------------------------------


def _candidate_insert(
    organization: Organization, scorecard: Scorecard, registered_model: Any, fields: dict[str, Any]
) -> ScorecardCandidate:
    _check_registered_model(organization, registered_model)
    if ScorecardCandidate.objects.filter(scorecard=scorecard, registered_model=registered_model).exists():
        raise ValidationError({"registered_model": _("This model is already on the shortlist.")}, code="unique")
    count = ScorecardCandidate.objects.filter(scorecard=scorecard).count()
    if count >= MAX_CANDIDATES:
        raise ValidationError(
            _("A scorecard holds at most %(max)s candidates.") % {"max": MAX_CANDIDATES}, code="too_many"
        )
    position = (ScorecardCandidate.objects.filter(scorecard=scorecard).aggregate(p=Max("position"))["p"] or 0) + 1
    candidate = ScorecardCandidate(
        organization=organization, scorecard=scorecard, registered_model=registered_model, position=position, **fields
    )
    candidate.full_clean(exclude=["organization", "scorecard", "registered_model"], validate_constraints=False)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"registered_model": _("This model is already on the shortlist.")}, code="unique"
        ) from exc
    return candidate


@transaction.atomic
def candidate_add(
    *, organization: Organization, actor: Any, scorecard: Scorecard, registered_model: Any, **fields: Any
) -> ScorecardCandidate:
    _check(fields, CANDIDATE_FIELDS)
    locked = _locked(organization, scorecard)
    _refuse_frozen(locked)
    candidate = _candidate_insert(organization, locked, registered_model, fields)
    Scorecard.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.candidate_added",
        target=candidate,
        target_label=f"{locked.title} v{locked.version}: {registered_model.name}",
        data={"scorecard": locked.pk, "values": snapshot(candidate, _CANDIDATE_AUDIT)},
    )
    return candidate


@transaction.atomic
def candidate_update(
    *, organization: Organization, actor: Any, candidate: ScorecardCandidate, **fields: Any
) -> ScorecardCandidate:
    _check(fields, CANDIDATE_FIELDS)
    assert_same_org(organization, candidate)
    locked_card = _locked(organization, candidate.scorecard)
    _refuse_frozen(locked_card)
    locked = ScorecardCandidate.objects.select_for_update().get(pk=candidate.pk, organization=organization)
    before = snapshot(locked, _CANDIDATE_AUDIT)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["organization", "scorecard", "registered_model"], validate_constraints=False)
    locked.save()
    Scorecard.objects.filter(pk=locked_card.pk).update(updated_at=timezone.now())
    changes = diff(before, snapshot(locked, _CANDIDATE_AUDIT))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="scorecard.candidate_updated",
            target=locked,
            target_label=f"{locked_card.title} v{locked_card.version}: {locked.registered_model.name}",
            data={"scorecard": locked_card.pk, "changes": changes},
        )
    return locked


@transaction.atomic
def candidate_remove(*, organization: Organization, actor: Any, candidate: ScorecardCandidate) -> None:
    assert_same_org(organization, candidate)
    locked_card = _locked(organization, candidate.scorecard)
    _refuse_frozen(locked_card)
    locked = ScorecardCandidate.objects.select_for_update().get(pk=candidate.pk, organization=organization)
    audit_record(
        organization=organization,
        actor=actor,
        action="scorecard.candidate_removed",
        target=locked,
        target_label=f"{locked_card.title} v{locked_card.version}: {locked.registered_model.name}",
        data={"scorecard": locked_card.pk, "values": snapshot(locked, _CANDIDATE_AUDIT)},
    )
    locked.delete()
    Scorecard.objects.filter(pk=locked_card.pk).update(updated_at=timezone.now())


__all__ = [
    "CANDIDATE_FIELDS",
    "SCORECARD_FIELDS",
    "candidate_add",
    "candidate_remove",
    "candidate_update",
    "canonical_json",
    "data_policy_update",
    "scorecard_create",
    "scorecard_delete",
    "scorecard_freeze",
    "scorecard_new_version",
    "scorecard_update",
    "snapshot_hash",
    "snapshot_verifies",
    "validate_weights",
    "weight_profile_update",
]
