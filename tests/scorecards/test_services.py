"""Scorecard services, selectors and the DB → engine mapping, on the real database."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.scorecards import selectors, services
from apps.scorecards.checks import Classification
from apps.scorecards.facts import use_case_requirements
from apps.scorecards.models import Scorecard, ScorecardCandidate
from apps.scorecards.scoring import Factor, Source
from tests.scorecards import scenario
from tests.scorecards.factories import CandidateFactory, RegisteredModelFactory, ScorecardFactory


def actions(org: Any) -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organization=org).order_by("seq").values_list("action", flat=True))


@pytest.fixture
def scn(org_a: Any, members_a: Any) -> scenario.Scenario:
    with org_scope(org_a):
        return scenario.build(org_a, members_a)


def test_create_and_candidates_are_audited(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    log = actions(org_a)
    assert log.count("scorecard.created") == 1
    assert log.count("scorecard.candidate_added") == 5


def test_live_evaluation_uses_registry_and_catalog(org_a: Any, scn: scenario.Scenario) -> None:
    with org_scope(org_a):
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=scn.scorecard)
    result = ev.result
    key = {name: str(c.pk) for name, c in scn.candidates.items()}
    a = result.candidate(key["vendor_a"])
    assert a.factor(Factor.QUALITY).source is Source.OWN and a.factor(Factor.QUALITY).raw == 88.0
    assert a.factor(Factor.CONTEXT_WINDOW).source is Source.CATALOG
    assert a.factor(Factor.TRANSPARENCY).source is Source.SCORECARD
    assert a.factor(Factor.FINE_TUNING).raw == 1.0  # proprietary + "available" → vendor service
    assert result.candidate(key["llama"]).factor(Factor.FINE_TUNING).raw == 2.0
    # vendor A: 300 M in × 2.5 + 80 M out × 10 = $1 550
    assert ev.candidate(key["vendor_a"]).cost.monthly_cost == pytest.approx(1550.0)
    # llama: measured 400 tok/s from the registry, 1 instance × $4 × 730 h
    assert ev.candidate(key["llama"]).cost.monthly_cost == pytest.approx(2920.0)
    assert ev.requirements.data_classification is Classification.CONFIDENTIAL
    excluded = {c.key: [k.reason for k in c.failed_checks] for c in result.excluded}
    assert excluded == {key["research"]: ["licence_forbids_commercial"], key["vendor_b"]: ["policy_needs_dpa"]}
    assert len(result.ranked) == 3


def test_weight_overrides_and_profile(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    with org_scope(org_a):
        profile = selectors.weight_profile_for(organization=org_a)
        assert profile.pk is None and profile.weights["quality"] == 3.0  # defaults, unsaved
        services.weight_profile_update(organization=org_a, actor=members_a["admin"], weights={"cost": 1})
        profile = selectors.weight_profile_for(organization=org_a)
        assert profile.weights["quality"] == 0.0 and profile.weights["cost"] == 1.0
        sc = services.scorecard_update(
            organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard, weight_overrides={"quality": 2}
        )
        assert selectors.effective_weights(scorecard=sc, profile=profile) == {
            **{f.value: 0.0 for f in Factor},
            "cost": 1.0,
            "quality": 2.0,
        }
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=sc)
        assert ev.result.weights[Factor.QUALITY] == 2.0
    assert "scorecards.weight_profile_updated" in actions(org_a)


@pytest.mark.parametrize(
    ("weights", "code"),
    [({"vibes": 1}, "unknown_factor"), ({"quality": -1}, "invalid_weight"), ({"quality": "x"}, "invalid_weight")],
)
def test_bad_weight_overrides(org_a: Any, members_a: Any, scn: scenario.Scenario, weights: Any, code: str) -> None:
    with org_scope(org_a), pytest.raises(ValidationError) as err:
        services.scorecard_update(
            organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard, weight_overrides=weights
        )
    assert "weight_overrides" in err.value.message_dict


def test_profile_needs_a_positive_weight(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a), pytest.raises(ValidationError) as err:
        services.weight_profile_update(organization=org_a, actor=members_a["admin"], weights={"cost": 0})
    assert "weights" in err.value.message_dict


def test_data_policy_update_changes_the_checks(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    key_b = str(scn.candidates["vendor_b"].pk)
    with org_scope(org_a):
        services.data_policy_update(
            organization=org_a, actor=members_a["admin"], rules={"confidential:vendor_api": "allowed"}
        )
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=scn.scorecard)
        assert ev.result.candidate(key_b).eligible
        with pytest.raises(ValidationError):
            services.data_policy_update(organization=org_a, actor=members_a["admin"], rules={"secret:moon": "allowed"})
        with pytest.raises(ValidationError):
            services.data_policy_update(
                organization=org_a, actor=members_a["admin"], rules={"public:vendor_api": "maybe"}
            )
    assert actions(org_a).count("scorecards.data_policy_updated") == 1


def test_freeze_stores_a_verifiable_snapshot(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    with org_scope(org_a):
        frozen = services.scorecard_freeze(organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard)
        frozen.refresh_from_db()
    assert frozen.is_frozen and frozen.frozen_by == members_a["contributor"]
    assert len(frozen.snapshot_sha256) == 64
    assert services.snapshot_verifies(frozen)
    assert services.snapshot_hash(frozen.snapshot) == frozen.snapshot_sha256
    data = frozen.snapshot
    assert data["scorecard"]["version"] == 1 and data["schema"] == 1
    assert {c["facts"]["label"] for c in data["candidates"]} == {m.name for m in scn.models.values()}
    assert data["result"]["weights"]["quality"] == 3.0
    tampered = json.loads(json.dumps(data))
    tampered["result"]["candidates"][0]["total"] = 100.0
    assert services.snapshot_hash(tampered) != frozen.snapshot_sha256
    assert "scorecard.frozen" in actions(org_a)


def test_frozen_page_data_do_not_follow_catalog_changes(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    key_a = str(scn.candidates["vendor_a"].pk)
    with org_scope(org_a):
        frozen = services.scorecard_freeze(organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard)
        entry = scn.models["vendor_a"].catalog_entry
        entry.price_output_per_mtok = Decimal("100")
        entry.save()
        frozen_ev = selectors.scorecard_evaluate(organization=org_a, scorecard=Scorecard.objects.get(pk=frozen.pk))
        assert frozen_ev.candidate(key_a).cost.monthly_cost == pytest.approx(1550.0)
        assert json.dumps(frozen_ev.to_dict(), sort_keys=True) == json.dumps(
            {k: v for k, v in frozen.snapshot.items() if k != "scorecard"}, sort_keys=True
        )
        v2 = services.scorecard_new_version(organization=org_a, actor=members_a["contributor"], scorecard=frozen)
        key_a2 = str(ScorecardCandidate.objects.get(scorecard=v2, registered_model=scn.models["vendor_a"]).pk)
        live = selectors.scorecard_evaluate(organization=org_a, scorecard=v2)
        assert live.candidate(key_a2).cost.monthly_cost == pytest.approx(750 + 80 * 100)


def test_frozen_scorecards_refuse_changes(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    actor = members_a["contributor"]
    with org_scope(org_a):
        frozen = services.scorecard_freeze(organization=org_a, actor=actor, scorecard=scn.scorecard)
        for call in (
            lambda: services.scorecard_freeze(organization=org_a, actor=actor, scorecard=frozen),
            lambda: services.scorecard_delete(organization=org_a, actor=actor, scorecard=frozen),
            lambda: services.candidate_add(
                organization=org_a,
                actor=actor,
                scorecard=frozen,
                registered_model=RegisteredModelFactory(organization=org_a),
            ),
            lambda: services.candidate_update(
                organization=org_a, actor=actor, candidate=scn.candidates["llama"], notes="changed"
            ),
            lambda: services.candidate_remove(organization=org_a, actor=actor, candidate=scn.candidates["llama"]),
        ):
            with pytest.raises(ValidationError):
                call()
        assert Scorecard.objects.filter(pk=frozen.pk, status="frozen").exists()
        assert ScorecardCandidate.objects.filter(scorecard=frozen).count() == 5


def test_the_database_refuses_to_change_a_frozen_scorecard(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    with org_scope(org_a):
        frozen = services.scorecard_freeze(organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard)
        frozen.title = "Sneaky"
        with pytest.raises(IntegrityError), transaction.atomic():
            frozen.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            ScorecardCandidate.objects.filter(scorecard=frozen).update(notes="sneaky")
        with pytest.raises(IntegrityError), transaction.atomic():
            ScorecardCandidate.objects.filter(scorecard=frozen).delete()
        assert Scorecard.objects.get(pk=frozen.pk).title != "Sneaky"


def test_editing_a_frozen_scorecard_creates_the_next_version(
    org_a: Any, members_a: Any, scn: scenario.Scenario
) -> None:
    actor = members_a["contributor"]
    with org_scope(org_a):
        frozen = services.scorecard_freeze(organization=org_a, actor=actor, scorecard=scn.scorecard)
        v2 = services.scorecard_update(
            organization=org_a, actor=actor, scorecard=frozen, title="Claims drafting v2", weight_overrides={"cost": 5}
        )
        assert v2.pk != frozen.pk and v2.version == 2 and v2.lineage == frozen.lineage and v2.previous_id == frozen.pk
        assert not v2.is_frozen and v2.title == "Claims drafting v2" and v2.weight_overrides == {"cost": 5.0}
        assert ScorecardCandidate.objects.filter(scorecard=v2).count() == 5
        frozen.refresh_from_db()
        assert frozen.title != "Claims drafting v2" and frozen.is_frozen
        services.scorecard_freeze(organization=org_a, actor=actor, scorecard=v2)
        v3 = services.scorecard_new_version(organization=org_a, actor=actor, scorecard=frozen)
        assert v3.version == 3  # the next number of the lineage, even from an older version
        assert [s.version for s in selectors.scorecard_versions(scorecard=v3)] == [1, 2, 3]
        with pytest.raises(ValidationError):
            services.scorecard_new_version(organization=org_a, actor=actor, scorecard=v3)  # a draft
    assert "scorecard.version_created" in actions(org_a)


def test_freeze_needs_candidates(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        empty = ScorecardFactory(organization=org_a)
        with pytest.raises(ValidationError) as err:
            services.scorecard_freeze(organization=org_a, actor=members_a["contributor"], scorecard=empty)
    assert err.value.code == "no_candidates"


def test_delete_draft(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        cand = CandidateFactory(organization=org_a)
        services.scorecard_delete(organization=org_a, actor=members_a["contributor"], scorecard=cand.scorecard)
        assert not Scorecard.objects.filter(pk=cand.scorecard_id).exists()
    assert "scorecard.deleted" in actions(org_a)


def test_shortlist_refuses_duplicates_and_foreign_models(
    org_a: Any, members_a: Any, org_b: Any, members_b: Any, scn: scenario.Scenario
) -> None:
    with org_scope(org_b):
        foreign = RegisteredModelFactory(organization=org_b)
    with org_scope(org_a):
        with pytest.raises(ValidationError) as err:
            services.candidate_add(
                organization=org_a,
                actor=members_a["contributor"],
                scorecard=scn.scorecard,
                registered_model=scn.models["llama"],
            )
        assert "registered_model" in err.value.message_dict
        with pytest.raises(ValidationError):
            services.candidate_add(
                organization=org_a, actor=members_a["contributor"], scorecard=scn.scorecard, registered_model=foreign
            )
        with pytest.raises(ValidationError) as err:
            services.candidate_update(
                organization=org_a,
                actor=members_a["contributor"],
                candidate=scn.candidates["llama"],
                hosting_country="XX",
            )
        assert "hosting_country" in err.value.message_dict


def test_currency_rates_convert_budget_and_prices(org_a: Any, members_a: Any, scn: scenario.Scenario) -> None:
    actor = members_a["contributor"]
    with org_scope(org_a):
        from apps.usecases.services import usecase_update

        usecase_update(
            organization=org_a, actor=actor, use_case=scn.use_case, monthly_budget=Decimal("920"), budget_currency="EUR"
        )
        entry = scn.models["vendor_a"].catalog_entry
        entry.price_currency = "EUR"
        entry.save()
        sc = Scorecard.objects.select_related("use_case").get(pk=scn.scorecard.pk)
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=sc)
        key_a = str(scn.candidates["vendor_a"].pk)
        assert ev.requirements.monthly_budget is None and ev.requirements.budget_unconverted_currency == "EUR"
        assert ev.result.candidate(key_a).factor(Factor.COST).missing  # EUR prices, no rate
        sc = services.scorecard_update(organization=org_a, actor=actor, scorecard=sc, currency_rates={"eur": "0.92"})
        assert sc.currency_rates == {"EUR": "0.92"}
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=Scorecard.objects.get(pk=sc.pk))
        assert ev.requirements.monthly_budget == pytest.approx(1000.0)
        assert ev.candidate(key_a).cost.monthly_cost == pytest.approx(1550.0 / 0.92)
        with pytest.raises(ValidationError):
            services.scorecard_update(organization=org_a, actor=actor, scorecard=sc, currency_rates={"EUR": "-1"})


@pytest.mark.parametrize(
    ("residency", "note", "expected"),
    [
        ("none", "", {"residency": None, "residency_on_premises": False, "residency_manual": ""}),
        ("russia", "", {"residency": frozenset({"RU"})}),
        ("on_premises", "", {"residency": None, "residency_on_premises": True}),
        ("specific_country", "Germany", {"residency": frozenset({"DE"}), "residency_label": "Germany"}),
        (
            "specific_country",
            "Kazakhstan or Uzbekistan",
            {"residency": None, "residency_manual": "Kazakhstan or Uzbekistan"},
        ),
        ("other", "Only our own data centre in Almaty", {"residency_manual": "Only our own data centre in Almaty"}),
    ],
)
def test_residency_requirements(
    org_a: Any, members_a: Any, residency: str, note: str, expected: dict[str, Any]
) -> None:
    from tests.usecases.factories import UseCaseFactory

    with org_scope(org_a):
        uc = UseCaseFactory(organization=org_a, data_residency=residency, data_residency_note=note)
        req = use_case_requirements(uc, {})
    for name, value in expected.items():
        assert getattr(req, name) == value, name


def test_confidential_information_that_must_stay_inside_counts_as_restricted(
    org_a: Any, members_a: Any, scn: scenario.Scenario
) -> None:
    from apps.datasources.services import assessment_update

    key_a = str(scn.candidates["vendor_a"].pk)
    with org_scope(org_a):
        assessment = scn.use_case.data_assessments.get()
        assessment_update(
            organization=org_a, actor=members_a["contributor"], assessment=assessment, contains_confidential="yes"
        )
        ev = selectors.scorecard_evaluate(organization=org_a, scorecard=Scorecard.objects.get(pk=scn.scorecard.pk))
    assert ev.requirements.data_classification is Classification.RESTRICTED
    # restricted data to a vendor API is forbidden by default, DPA or not
    assert [c.reason for c in ev.result.candidate(key_a).failed_checks] == ["policy_forbids"]
