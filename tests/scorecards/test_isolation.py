"""Generic isolation and role tests for every scorecard route and model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from apps.core.permissions import ADMINS, ALL_ROLES, CONTRIBUTORS
from apps.scorecards.models import DataPolicy, Scorecard, ScorecardCandidate, WeightProfile
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase
from tests.scorecards.factories import CandidateFactory, RegisteredModelFactory, ScorecardFactory
from tests.usecases.factories import UseCaseFactory


def _foreign(model_factory: Any, other_org: Any) -> Any:
    from apps.core.tenancy import org_scope

    with org_scope(other_org):
        return model_factory(organization=other_org)


class TestScorecardApi(ApiCrudIsolationCase):
    basename = "scorecards-api:scorecard"
    model = Scorecard
    write_roles = CONTRIBUTORS
    extra_url_names = (
        "scorecards-api:scorecard-evaluation",
        "scorecards-api:scorecard-snapshot",
        "scorecards-api:scorecard-freeze",
        "scorecards-api:scorecard-new-version",
    )

    def _action_url(self, name: str, org: Any, obj: Any) -> str:
        return reverse(f"scorecards-api:scorecard-{name}", kwargs={"org_slug": org.slug, "pk": obj.pk})

    def _frozen(self, org: Any, members: dict[str, Any]) -> Any:
        from apps.core.tenancy import org_scope
        from apps.scorecards.services import scorecard_freeze

        with org_scope(org):
            scorecard = self.make_object(org, members)
            return scorecard_freeze(organization=org, actor=members["contributor"], scorecard=scorecard)

    def test_actions_are_isolated(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        mine, theirs = self._frozen(org_a, members_a), self._frozen(org_b, members_b)
        for name, method in (("evaluation", "get"), ("snapshot", "get"), ("new-version", "post"), ("freeze", "post")):
            for user in (None, members_a["outsider"], members_b["admin"]):
                r = getattr(api_client_for(user), method)(self._action_url(name, org_a, mine))
                assert r.status_code in ((401, 403) if user is None else (404,)), (name, user)
            # another organization's scorecard under my organization's URL
            r = getattr(api_client_for(members_a["contributor"]), method)(self._action_url(name, org_a, theirs))
            assert r.status_code == 404, name

    def test_action_roles(self, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
        frozen = self._frozen(org_a, members_a)
        for role in ALL_ROLES:
            client = api_client_for(members_a[role])
            assert client.get(self._action_url("evaluation", org_a, frozen)).status_code == 200, role
            assert client.get(self._action_url("snapshot", org_a, frozen)).status_code == 200, role
            expected = 201 if role in CONTRIBUTORS else 403
            assert client.post(self._action_url("new-version", org_a, frozen)).status_code == expected, role
        draft = self._make(org_a, members_a)
        for role in ALL_ROLES:
            r = api_client_for(members_a[role]).post(self._action_url("freeze", org_a, draft))
            assert r.status_code == (200 if role in CONTRIBUTORS else 403), role

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return CandidateFactory(organization=organization).scorecard

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        from apps.core.tenancy import org_scope

        with org_scope(organization):
            use_case = UseCaseFactory(organization=organization)
            model = RegisteredModelFactory(organization=organization)
        return {"use_case": use_case.pk, "title": "New scorecard", "registered_models": [model.pk]}

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"title": "Changed", "weight_overrides": {"cost": 4}}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [
            {"use_case": _foreign(UseCaseFactory, other_org).pk},
            {"registered_models": [_foreign(RegisteredModelFactory, other_org).pk]},
        ]


class TestCandidateApi(ApiCrudIsolationCase):
    basename = "scorecards-api:candidate"
    model = ScorecardCandidate
    write_roles = CONTRIBUTORS

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return CandidateFactory(organization=organization)

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        from apps.core.tenancy import org_scope

        with org_scope(organization):
            scorecard = ScorecardFactory(organization=organization)
            model = RegisteredModelFactory(organization=organization)
        return {"scorecard": scorecard.pk, "registered_model": model.pk, "hosting_country": "DE"}

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"dpa_in_place": True, "price_per_hour": "2.5000"}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [
            {"scorecard": _foreign(ScorecardFactory, other_org).pk},
            {"registered_model": _foreign(RegisteredModelFactory, other_org).pk},
        ]


class TestWeightProfileApi(ApiCrudIsolationCase):
    basename = "scorecards-api:weight-profile"
    model = WeightProfile
    write_roles = ADMINS
    actions = ("list", "retrieve", "update")

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return WeightProfile.objects.get_or_create(organization=organization)[0]

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"weights": {"quality": 9, "cost": 1}, "missing_rule": "neutral"}


class TestDataPolicyApi(ApiCrudIsolationCase):
    basename = "scorecards-api:data-policy"
    model = DataPolicy
    write_roles = ADMINS
    actions = ("list", "retrieve", "update")

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return DataPolicy.objects.get_or_create(organization=organization)[0]

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"rules": {"internal:vendor_api": "forbidden"}}


class TestScorecardPages(PageIsolationCase):
    pages = [
        Page("scorecards:list"),
        Page("scorecards:create", read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:weights", read_roles=ALL_ROLES, post_roles=ADMINS),
        Page("scorecards:policy", read_roles=ALL_ROLES, post_roles=ADMINS),
        Page("scorecards:detail", obj=True),
        Page("scorecards:edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:candidate_add", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:freeze", obj=True, get=False, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:new_version", obj=True, get=False, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:delete", obj=True, get=False, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return CandidateFactory(organization=organization).scorecard


class TestFrozenSnapshotPage(PageIsolationCase):
    pages = [Page("scorecards:snapshot", obj=True)]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        from apps.scorecards.services import scorecard_freeze

        scorecard = CandidateFactory(organization=organization).scorecard
        return scorecard_freeze(organization=organization, actor=members["contributor"], scorecard=scorecard)


class TestCandidatePages(PageIsolationCase):
    pages = [
        Page("scorecards:candidate_edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("scorecards:candidate_remove", obj=True, get=False, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return CandidateFactory(organization=organization)
