"""Generic isolation cases for the tenant-owned registry (API and pages)."""

from __future__ import annotations

from typing import Any

from apps.core.permissions import CONTRIBUTORS
from apps.registry.models import CatalogChangeNotification, RegisteredModel
from tests.catalog.factories import CatalogEntryFactory
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase
from tests.registry.factories import RegisteredModelFactory


class TestRegisteredModelApi(ApiCrudIsolationCase):
    basename = "registry-api:registered-model"
    model = RegisteredModel
    write_roles = CONTRIBUTORS
    list_query_budget = 5

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return RegisteredModelFactory(organization=organization, owner=members["contributor"])

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        entry = CatalogEntryFactory()
        return {"catalog_entry": entry.pk, "status": "under_evaluation", "owner": members["contributor"].pk}

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"status": "approved", "measured_latency_ms": "120.5"}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [{"owner": other_members["admin"].pk}]


class TestRegistryPages(PageIsolationCase):
    pages = [
        Page("registry:list"),
        Page("registry:detail", obj=True),
        Page("registry:create", read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("registry:edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("registry:delete", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]
    # notifications are only ever read through the registered model's detail page (scoped like it);
    # tests/registry/test_notifications.py checks that another organization's notifications never show
    covered_models = (CatalogChangeNotification,)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return RegisteredModelFactory(organization=organization, owner=members["contributor"])

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"name": "Changed", "status": "approved", "hosting": "vendor_api", "kind": "proprietary_api"}
