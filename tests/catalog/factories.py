from __future__ import annotations

import factory

from apps.catalog.models import CatalogEntry, EntrySource, ModelKind


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogEntry
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"modelsdev:acme/model-{n}")
    source = EntrySource.MODELSDEV
    provider_id = "acme"
    provider_name = "Acme AI"
    display_name = factory.Sequence(lambda n: f"Acme Model {n}")
    kind = ModelKind.PROPRIETARY_API
    modelsdev_provider_id = "acme"
    modelsdev_model_id = factory.Sequence(lambda n: f"model-{n}")
    licence_id = "proprietary"
    commercial_use = "conditional"
    context_window = 128_000
    price_input_per_mtok = "1.000000"
    price_output_per_mtok = "4.000000"
    price_currency = "USD"
    search_text = factory.LazyAttribute(lambda o: f"{o.display_name} {o.provider_name}".lower())
