"""The scorecard API beyond the generic isolation cases: evaluation, freezing, versions, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.scorecards.models import Scorecard
from apps.scorecards.scoring import Factor
from apps.scorecards.services import snapshot_hash
from tests.scorecards import scenario


@pytest.fixture
def scn(org_a: Any, members_a: Any) -> scenario.Scenario:
    with org_scope(org_a):
        return scenario.build(org_a, members_a)


def api(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"scorecards-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_evaluation_endpoint(org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any) -> None:
    r = api_client_for(members_a["viewer"]).get(api("scorecard-evaluation", org_a, pk=scn.scorecard.pk))
    assert r.status_code == 200
    body = r.json()
    ranked = [c for c in body["result"]["candidates"] if c["eligible"]]
    excluded = {
        c["label"]: [k["reason"] for k in c["checks"] if k["status"] == "fail"]
        for c in body["result"]["candidates"]
        if not c["eligible"]
    }
    assert [c["rank"] for c in ranked] == [1, 2, 3]
    assert excluded == {"Research Model": ["licence_forbids_commercial"], "Vendor B Pro": ["policy_needs_dpa"]}
    first = ranked[0]
    assert sum(f["contribution"] for f in first["factors"]) == pytest.approx(first["total"])
    assert {f["source"] for f in first["factors"]} >= {"own", "catalog", "computed"}
    assert body["result"]["sensitivity"]["status"] == "stable"
    assert body["summary"]["proprietary_count"] == 2 and body["summary"]["open_weights_count"] == 3
    assert body["scorecard"]["status"] == "draft" and body["snapshot_sha256"] is None


def test_freeze_snapshot_and_versions_over_the_api(
    org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any
) -> None:
    client = api_client_for(members_a["contributor"])
    pk = scn.scorecard.pk
    assert client.get(api("scorecard-snapshot", org_a, pk=pk)).status_code == 404  # a draft has none
    r = client.post(api("scorecard-freeze", org_a, pk=pk))
    assert r.status_code == 200 and r.json()["status"] == "frozen"
    sha = r.json()["snapshot_sha256"]
    snap = client.get(api("scorecard-snapshot", org_a, pk=pk)).json()
    assert snap["sha256"] == sha and snap["verified"] and snapshot_hash(snap["snapshot"]) == sha
    r = client.post(api("scorecard-freeze", org_a, pk=pk))
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    # PATCH on a frozen scorecard → 201 with the next version
    r = client.patch(api("scorecard-detail", org_a, pk=pk), {"weight_overrides": {"cost": 9}}, format="json")
    assert r.status_code == 201, r.content
    v2 = r.json()
    assert v2["version"] == 2 and v2["status"] == "draft" and v2["previous"] == pk
    assert v2["weight_overrides"] == {"cost": 9.0} and v2["candidate_count"] == 5
    with scopes_disabled():
        assert Scorecard.objects.get(pk=pk).weight_overrides == {}
    # the frozen one refuses candidate changes and deletion
    r = client.post(
        api("candidate-list", org_a),
        {"scorecard": pk, "registered_model": scn.models["llama"].pk},
        format="json",
    )
    assert r.status_code == 400
    assert client.delete(api("scorecard-detail", org_a, pk=pk)).status_code == 400
    r = client.patch(api("candidate-detail", org_a, pk=scn.candidates["llama"].pk), {"notes": "x"}, format="json")
    assert r.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"weight_overrides": {"vibes": 2}},
        {"weight_overrides": {"cost": -1}},
        {"weight_overrides": {"cost": 101}},
        {"missing_rule": "optimistic"},
        {"currency_rates": {"EUR": "-2"}},
        {"currency_rates": {"EURO": "1"}},
        {"use_case": 999999},
    ],
)
def test_bad_input_answers_400_with_fields(
    org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any, body: dict[str, Any]
) -> None:
    r = api_client_for(members_a["contributor"]).patch(
        api("scorecard-detail", org_a, pk=scn.scorecard.pk), body, format="json"
    )
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["status"] == 400 and set(body) & set(error["fields"])


def test_use_case_cannot_change(org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any) -> None:
    from tests.usecases.factories import UseCaseFactory

    with org_scope(org_a):
        other = UseCaseFactory(organization=org_a)
    r = api_client_for(members_a["contributor"]).patch(
        api("scorecard-detail", org_a, pk=scn.scorecard.pk), {"use_case": other.pk}, format="json"
    )
    assert r.status_code == 400 and "use_case" in r.json()["error"]["fields"]


def test_all_weights_zero_is_a_clear_error(
    org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any, client_for: Any
) -> None:
    zero = dict.fromkeys((f.value for f in Factor), 0)
    client = api_client_for(members_a["contributor"])
    r = client.patch(api("scorecard-detail", org_a, pk=scn.scorecard.pk), {"weight_overrides": zero}, format="json")
    assert r.status_code == 200  # overrides alone are partial; the total is checked when scoring
    r = client.get(api("scorecard-evaluation", org_a, pk=scn.scorecard.pk))
    assert r.status_code == 400 and r.json()["error"]["fields"]["weights"]
    r = client.post(api("scorecard-freeze", org_a, pk=scn.scorecard.pk))
    assert r.status_code == 400
    page = client_for(members_a["viewer"])
    html = page.get(reverse("scorecards:detail", kwargs={"org_slug": org_a.slug, "pk": scn.scorecard.pk}))
    assert html.status_code == 200 and "At least one weight must be greater than zero." in html.content.decode()


def test_weight_profile_and_policy_singletons(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    admin = api_client_for(members_a["admin"])
    rows = admin.get(api("weight-profile-list", org_a)).json()
    assert rows[0]["id"] is None and rows[0]["weights"]["quality"] == 3.0
    r = admin.post(api("weight-profile-list", org_a), {"weights": {"quality": 1, "cost": 1}}, format="json")
    assert r.status_code == 200 and r.json()["id"] is not None and r.json()["weights"]["speed"] == 0.0
    assert admin.post(api("weight-profile-list", org_a), {"weights": {"cost": 0}}, format="json").status_code == 400
    assert admin.post(api("weight-profile-list", org_a), {"weights": {"x": 1}}, format="json").status_code == 400
    contributor = api_client_for(members_a["contributor"])
    assert (
        contributor.post(api("weight-profile-list", org_a), {"weights": {"cost": 1}}, format="json").status_code == 403
    )
    r = admin.post(api("data-policy-list", org_a), {"rules": {"public:vendor_api": "forbidden"}}, format="json")
    assert r.status_code == 200 and r.json()["rules"]["public:vendor_api"] == "forbidden"
    assert r.json()["rules"]["restricted:self_hosted"] == "allowed"
    r = admin.post(api("data-policy-list", org_a), {"rules": {"public:moon": "allowed"}}, format="json")
    assert r.status_code == 400


def test_candidate_filter_and_create(org_a: Any, members_a: Any, scn: scenario.Scenario, api_client_for: Any) -> None:
    client = api_client_for(members_a["viewer"])
    r = client.get(api("candidate-list", org_a) + f"?scorecard={scn.scorecard.pk}")
    assert r.status_code == 200 and len(r.json()["results"]) == 5
    assert {c["registered_model_name"] for c in r.json()["results"]} == {m.name for m in scn.models.values()}
    r = api_client_for(members_a["contributor"]).post(
        api("candidate-list", org_a),
        {"scorecard": scn.scorecard.pk, "registered_model": scn.models["llama"].pk},
        format="json",
    )
    assert r.status_code == 400 and "registered_model" in r.json()["error"]["fields"]
