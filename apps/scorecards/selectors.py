"""Reads that pages and the API share (call inside the organization's scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.organizations.models import Organization
from apps.scorecards.evaluation import Evaluation, evaluate, reevaluate_snapshot
from apps.scorecards.facts import scorecard_inputs
from apps.scorecards.models import DataPolicy, Scorecard, ScorecardCandidate, WeightProfile
from apps.scorecards.scoring import FACTORS, MissingRule, specs_with


def weight_profile_for(*, organization: Organization) -> WeightProfile:
    """The organization's profile, or an unsaved one holding the defaults (reads never write)."""
    profile = WeightProfile.objects.filter(organization=organization).first()
    return profile if profile is not None else WeightProfile(organization=organization)


def data_policy_for(*, organization: Organization) -> DataPolicy:
    policy = DataPolicy.objects.filter(organization=organization).first()
    return policy if policy is not None else DataPolicy(organization=organization)


def scorecard_list(
    *, organization: Organization, q: str = "", use_case: Any = None, status: str = ""
) -> QuerySet[Scorecard]:
    qs = (
        Scorecard.objects.filter(organization=organization)
        .select_related("use_case", "created_by", "frozen_by")
        .annotate(candidate_count=Count("candidates"))
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(use_case__title__icontains=q))
    if use_case:
        qs = qs.filter(use_case=use_case)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def scorecard_candidates(*, scorecard: Scorecard) -> list[ScorecardCandidate]:
    return list(
        ScorecardCandidate.objects.filter(organization_id=scorecard.organization_id, scorecard=scorecard)
        .select_related("registered_model__catalog_entry")
        .order_by("position", "id")
    )


def scorecard_versions(*, scorecard: Scorecard) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(organization_id=scorecard.organization_id, lineage=scorecard.lineage).order_by(
        "version"
    )


def effective_weights(*, scorecard: Scorecard, profile: WeightProfile) -> dict[str, float]:
    base = {f.value: float((profile.weights or {}).get(f.value, 0.0)) for f in FACTORS}
    return base | {k: float(v) for k, v in (scorecard.weight_overrides or {}).items()}


def effective_missing_rule(*, scorecard: Scorecard, profile: WeightProfile) -> MissingRule:
    return MissingRule(scorecard.missing_rule or profile.missing_rule or MissingRule.WORST.value)


def scorecard_evaluate(
    *, organization: Organization, scorecard: Scorecard, candidates: list[ScorecardCandidate] | None = None
) -> Evaluation:
    """A frozen scorecard: its snapshot, re-run on its own inputs. A draft: today's facts and rules."""
    if scorecard.is_frozen and scorecard.snapshot:
        return reevaluate_snapshot(scorecard.snapshot)
    if candidates is None:
        candidates = scorecard_candidates(scorecard=scorecard)
    profile = weight_profile_for(organization=organization)
    policy = data_policy_for(organization=organization)
    inputs = scorecard_inputs(scorecard, candidates)
    return evaluate(
        **inputs,
        weights=effective_weights(scorecard=scorecard, profile=profile),
        missing_rule=effective_missing_rule(scorecard=scorecard, profile=profile),
        policy=policy.as_table(),
        specs=specs_with(prefer_larger_models=profile.prefer_larger_models),
    )
