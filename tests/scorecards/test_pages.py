"""The scorecard pages as a person uses them (real database, real templates)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.scorecards.models import DataPolicy, Scorecard, ScorecardCandidate, WeightProfile
from tests.scorecards import scenario
from tests.scorecards.factories import RegisteredModelFactory
from tests.usecases.factories import UseCaseFactory


@pytest.fixture
def scn(org_a: Any, members_a: Any) -> scenario.Scenario:
    with org_scope(org_a):
        return scenario.build(org_a, members_a)


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"scorecards:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_detail_page_shows_ranking_exclusions_sensitivity_and_charts(
    org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any
) -> None:
    r = client_for(members_a["viewer"]).get(url("detail", org_a, pk=scn.scorecard.pk))
    assert r.status_code == 200
    body = text(r)
    assert 'id="ranking-table"' in body
    for name in ("Vendor A Large", "Open Llama 70B", "Open Mistral 7B"):
        assert name in body
    # exclusions keep the candidate visible, with the reason
    assert "Excluded (a hard constraint is violated)" in body
    assert "Commercial use is intended but the licence does not allow it." in body
    assert "The data policy allows “Confidential” data on “Vendor API” only with a DPA, and none is recorded." in body
    # explanation and sensitivity
    assert "ranks first with" in body
    assert re.search(r'id="sensitivity-headline">(Raising|Lowering) the weight of', body)
    # charts: two accessible inline SVGs
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    # sources and missing values
    assert "own measurement or value" in body and "catalog" in body and "computed for this use case" in body
    assert "missing" in body
    # proprietary vs open-weights summary
    assert "Prompts and data are sent to the vendor." in body
    assert "Not always licensed for commercial use: check each licence." in body
    # cost for the use case
    assert "$1,550.00" in body


def test_detail_page_query_count_does_not_grow_with_candidates(
    org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(members_a["viewer"])
    with django_assert_max_num_queries(25):
        assert client.get(url("detail", org_a, pk=scn.scorecard.pk)).status_code == 200
    from apps.scorecards.services import candidate_add

    with org_scope(org_a):
        for _ in range(10):
            candidate_add(
                organization=org_a,
                actor=members_a["contributor"],
                scorecard=scn.scorecard,
                registered_model=RegisteredModelFactory(organization=org_a),
            )
    with django_assert_max_num_queries(25):
        assert client.get(url("detail", org_a, pk=scn.scorecard.pk)).status_code == 200


def test_create_scorecard_through_the_form(org_a: Any, members_a: Any, client_for: Any) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        models = [RegisteredModelFactory(organization=org_a) for _ in range(2)]
    client = client_for(members_a["contributor"])
    assert client.get(url("create", org_a) + f"?use_case={use_case.pk}").status_code == 200
    r = client.post(url("create", org_a), {"use_case": "", "title": ""})
    assert r.status_code == 200 and "This field is required." in text(r)
    r = client.post(
        url("create", org_a),
        {"use_case": use_case.pk, "title": "Pick a model", "registered_models": [m.pk for m in models]},
    )
    assert r.status_code == 302
    with scopes_disabled():
        created = Scorecard.objects.get(title="Pick a model")
        assert created.candidates.count() == 2 and created.organization_id == org_a.pk


def test_edit_form_rejects_bad_weights_and_saves_overrides(
    org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any
) -> None:
    client = client_for(members_a["contributor"])
    page = url("edit", org_a, pk=scn.scorecard.pk)
    assert client.get(page).status_code == 200
    base = {"title": "Claims drafting models", "description": "", "missing_rule": "", "currency_rates": ""}
    r = client.post(page, {**base, "w_cost": "-1"})
    assert r.status_code == 200 and "is-invalid" in text(r)
    r = client.post(page, {**base, "currency_rates": "EUR"})
    assert r.status_code == 200 and "CODE=rate" in text(r)
    r = client.post(page, {**base, "w_cost": "7", "missing_rule": "neutral", "currency_rates": "EUR=0.9"})
    assert r.status_code == 302
    with scopes_disabled():
        sc = Scorecard.objects.get(pk=scn.scorecard.pk)
    assert sc.weight_overrides == {"cost": 7.0} and sc.missing_rule == "neutral" and sc.currency_rates == {"EUR": "0.9"}
    r = client_for(members_a["viewer"]).get(url("detail", org_a, pk=sc.pk))
    assert "overridden" in text(r)


def test_freeze_then_edit_creates_a_version(
    org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any
) -> None:
    client = client_for(members_a["contributor"])
    r = client.post(url("freeze", org_a, pk=scn.scorecard.pk))
    assert r.status_code == 302
    page = text(client.get(url("detail", org_a, pk=scn.scorecard.pk)))
    assert "Frozen" in page and "verified" in page
    with scopes_disabled():
        frozen = Scorecard.objects.get(pk=scn.scorecard.pk)
    assert frozen.snapshot_sha256 in page
    snap = client.get(url("snapshot", org_a, pk=frozen.pk))
    assert snap.status_code == 200 and snap["X-Content-SHA256"] == frozen.snapshot_sha256
    import json

    from apps.scorecards.services import snapshot_hash

    assert snapshot_hash(json.loads(snap.content)) == frozen.snapshot_sha256
    r = client.post(
        url("edit", org_a, pk=frozen.pk),
        {"title": "Second look", "description": "", "missing_rule": "", "currency_rates": "", "w_quality": "5"},
    )
    assert r.status_code == 302
    with scopes_disabled():
        v2 = Scorecard.objects.get(lineage=frozen.lineage, version=2)
    assert r["Location"].endswith(f"/{v2.pk}/") and v2.title == "Second look"
    # a frozen scorecard's candidates are not editable any more
    with scopes_disabled():
        cand = ScorecardCandidate.objects.filter(scorecard=frozen).first()
    r = client.post(url("candidate_remove", org_a, pk=cand.pk))
    assert r.status_code == 302
    with scopes_disabled():
        assert ScorecardCandidate.objects.filter(pk=cand.pk).exists()
    # deleting a frozen scorecard is refused with a message
    r = client.post(url("delete", org_a, pk=frozen.pk), follow=True)
    assert "cannot be deleted" in text(r)


def test_candidate_form(org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any) -> None:
    client = client_for(members_a["contributor"])
    add = url("candidate_add", org_a, pk=scn.scorecard.pk)
    page = text(client.get(add))
    assert "Germany" in page  # country names in the hosting-country list
    r = client.post(
        add,
        {
            "registered_model": scn.models["llama"].pk,
            "hours_per_month": "730",
            "peak_factor": "1",
            "min_instances": "1",
            "pue": "1",
        },
    )
    assert r.status_code == 200 and "already on the shortlist" in text(r)
    with org_scope(org_a):
        new = RegisteredModelFactory(organization=org_a)
    r = client.post(
        add,
        {
            "registered_model": new.pk,
            "hosting_country": "SE",
            "hours_per_month": "730",
            "peak_factor": "1",
            "min_instances": "1",
            "pue": "1.2",
            "price_per_hour": "3.5",
            "support_contract": "true",
        },
    )
    assert r.status_code == 302
    with scopes_disabled():
        cand = ScorecardCandidate.objects.get(scorecard=scn.scorecard, registered_model=new)
    assert cand.hosting_country == "SE" and cand.support_contract is True
    edit = url("candidate_edit", org_a, pk=cand.pk)
    r = client.post(
        edit, {"hosting_country": "SE", "hours_per_month": "800", "peak_factor": "1", "min_instances": "1", "pue": "1"}
    )
    assert r.status_code == 200 and "is-invalid" in text(r)  # more hours than a month has
    r = client.post(url("candidate_remove", org_a, pk=cand.pk))
    assert r.status_code == 302
    with scopes_disabled():
        assert not ScorecardCandidate.objects.filter(pk=cand.pk).exists()


def test_admins_edit_weights_and_policy_others_read_them(org_a: Any, members_a: Any, client_for: Any) -> None:
    viewer = client_for(members_a["viewer"])
    assert "Only organization admins" in text(viewer.get(url("weights", org_a)))
    assert "Only organization admins" in text(viewer.get(url("policy", org_a)))
    admin = client_for(members_a["admin"])
    weights = {
        f"w_{k}": "1"
        for k in (
            "speed",
            "quality",
            "transparency",
            "context_window",
            "fine_tuning",
            "licence",
            "cost",
            "carbon",
            "parameters",
            "popularity",
        )
    }
    r = admin.post(url("weights", org_a), {**weights, "w_cost": "abc", "missing_rule": "worst"})
    assert r.status_code == 200 and "is-invalid" in text(r)
    r = admin.post(
        url("weights", org_a), {**weights, "w_cost": "6", "missing_rule": "mean", "prefer_larger_models": "on"}
    )
    assert r.status_code == 302
    with scopes_disabled():
        profile = WeightProfile.objects.get(organization=org_a)
    assert profile.weights["cost"] == 6.0 and profile.missing_rule == "mean" and profile.prefer_larger_models
    cells = {
        f"{c}:{h}": "allowed"
        for c in ("public", "internal", "confidential", "restricted")
        for h in ("vendor_api", "cloud_marketplace", "self_hosted")
    }
    r = admin.post(url("policy", org_a), {**cells, "restricted:vendor_api": "nonsense"})
    assert r.status_code == 200
    r = admin.post(url("policy", org_a), {**cells, "restricted:vendor_api": "forbidden"})
    assert r.status_code == 302
    with scopes_disabled():
        assert DataPolicy.objects.get(organization=org_a).rules["restricted:vendor_api"] == "forbidden"


def test_list_page(org_a: Any, members_a: Any, scn: scenario.Scenario, client_for: Any) -> None:
    client = client_for(members_a["auditor"])
    body = text(client.get(url("list", org_a)))
    assert "Claims drafting models" in body and "New scorecard" not in body
    assert "Claims drafting models" not in text(client.get(url("list", org_a) + "?status=frozen"))
    assert "Claims drafting models" in text(client.get(url("list", org_a) + "?q=claims"))
