from __future__ import annotations

import factory

from apps.registry.models import Hosting, RegisteredModel, RegistryStatus
from tests.catalog.factories import CatalogEntryFactory


class RegisteredModelFactory(factory.django.DjangoModelFactory):
    """Call inside ``org_scope(organization)``."""

    class Meta:
        model = RegisteredModel

    catalog_entry = factory.SubFactory(CatalogEntryFactory)
    name = factory.Sequence(lambda n: f"Registered model {n}")
    provider = "Acme AI"
    status = RegistryStatus.PROPOSED
    hosting = Hosting.VENDOR_API
