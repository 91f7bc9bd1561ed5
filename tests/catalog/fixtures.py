"""Fixtures for catalog / registry tests: loopback Hub and models.dev servers wired into the settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from apps.catalog import ratelimit
from tests.support.hub_server import HubServer
from tests.support.modelsdev_server import ModelsDevServer


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubServer]:
    with (
        HubServer() as server,
        override_settings(
            CATALOG_HF_ENDPOINT=server.url,
            CATALOG_HF_CACHE_DIR=str(tmp_path / "hf-cache"),
            CATALOG_HTTP_TIMEOUT=2.0,
        ),
    ):
        ratelimit.reset_local()
        yield server


@pytest.fixture
def modelsdev_server() -> Iterator[ModelsDevServer]:
    with ModelsDevServer() as server, override_settings(CATALOG_MODELSDEV_URL=server.url, CATALOG_HTTP_TIMEOUT=2.0):
        yield server


@pytest.fixture
def offline_hub(tmp_path: Path) -> Iterator[None]:
    """The local default: the real Hub host, unreachable without network (DNS fails at once here)."""
    with override_settings(
        CATALOG_HF_ENDPOINT="https://huggingface.co", CATALOG_HF_CACHE_DIR=str(tmp_path / "hf-cache")
    ):
        yield


def add_hub_entry(repo_id: str, **facts: Any) -> Any:
    """A catalog entry tracked on the Hub (as the seed creates them)."""
    from apps.catalog.demo import hub_key
    from apps.catalog.services import catalog_apply_record

    record = {"hf_repo_id": repo_id, "display_name": repo_id.split("/")[-1], "kind": "open_weights", **facts}
    return catalog_apply_record(key=hub_key(repo_id), record=record, source="test", primary_source="hub").entry
