"""Proprietary vs open-weights summary of a shortlist, framed as the source material frames it.

Proprietary models: easy to start, vendor quality guarantee, high availability and speed — but data is
sent to the vendor and customisation is minimal. Open-weights models: self-hosting, full transparency,
full customisation — but no official support, and not always licensed for commercial use.

For each aspect the summary gives the general framing per kind (a message key) and what this
shortlist actually shows per candidate (a status and a reason key with parameters), so the page can
say where a candidate departs from the stereotype (e.g. an open-weights model run through a vendor's
API sends data out too). Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from apps.scorecards.checks import CommercialUse, HostingOption, ModelKind
from apps.scorecards.evaluation import CandidateFacts

__all__ = ["ASPECTS", "Aspect", "AspectFact", "GroupCell", "Summary", "SummaryRow", "Tone", "build_summary"]


class Aspect(StrEnum):
    DATA = "data"
    CUSTOMISATION = "customisation"
    SUPPORT = "support"
    AVAILABILITY = "availability"
    TRANSPARENCY = "transparency"
    COMMERCIAL_USE = "commercial_use"


ASPECTS: tuple[Aspect, ...] = tuple(Aspect)


class Tone(StrEnum):
    GOOD = "good"
    CAUTION = "caution"
    BAD = "bad"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AspectFact:
    key: str
    label: str
    tone: Tone
    reason: str  # message key, see apps.scorecards.display.ASPECT_REASONS
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupCell:
    kind: ModelKind
    framing: str  # message key "<aspect>.<kind>", see apps.scorecards.display.FRAMING
    facts: tuple[AspectFact, ...]

    @property
    def counts(self) -> dict[str, int]:
        out = {t.value: 0 for t in Tone}
        for f in self.facts:
            out[f.tone.value] += 1
        return out


@dataclass(frozen=True, slots=True)
class SummaryRow:
    aspect: Aspect
    proprietary: GroupCell
    open_weights: GroupCell


@dataclass(frozen=True, slots=True)
class Summary:
    rows: tuple[SummaryRow, ...]
    proprietary_count: int
    open_weights_count: int


def build_summary(candidates: Sequence[CandidateFacts]) -> Summary:
    groups = {
        kind: [c for c in sorted(candidates, key=lambda c: (c.label, c.key)) if c.kind is kind] for kind in ModelKind
    }
    rows = []
    for aspect in ASPECTS:
        cells = {
            kind: GroupCell(kind, f"{aspect.value}.{kind.value}", tuple(_fact(aspect, c) for c in members))
            for kind, members in groups.items()
        }
        rows.append(SummaryRow(aspect, cells[ModelKind.PROPRIETARY], cells[ModelKind.OPEN_WEIGHTS]))
    return Summary(tuple(rows), len(groups[ModelKind.PROPRIETARY]), len(groups[ModelKind.OPEN_WEIGHTS]))


def _fact(aspect: Aspect, c: CandidateFacts) -> AspectFact:
    tone, reason, params = _ASPECT_RULES[aspect](c)
    return AspectFact(c.key, c.label, tone, reason, params)


def _data(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    params = {"provider": c.provider}
    if c.hosting is HostingOption.SELF_HOSTED:
        return Tone.GOOD, "data_stays", params
    if c.hosting is HostingOption.CLOUD_MARKETPLACE:
        return Tone.CAUTION, "data_cloud", params
    return Tone.CAUTION if c.dpa_in_place else Tone.BAD, "data_vendor_dpa" if c.dpa_in_place else "data_vendor", params


def _customisation(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    if c.fine_tuning.is_missing:
        return Tone.UNKNOWN, "fine_tuning_unknown", {}
    level = int(c.fine_tuning.value)  # type: ignore[arg-type]
    if level >= 2:
        return Tone.GOOD, "fine_tuning_full", {}
    if level == 1:
        return Tone.CAUTION, "fine_tuning_vendor", {}
    return Tone.BAD, "fine_tuning_none", {}


def _support(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    if c.vendor_support is True:
        return Tone.GOOD, "support_contract", {"provider": c.provider}
    if c.vendor_support is False:
        return Tone.CAUTION, "support_community", {}
    if c.kind is ModelKind.PROPRIETARY:
        return Tone.GOOD, "support_vendor_assumed", {"provider": c.provider}
    return Tone.UNKNOWN, "support_unknown", {}


def _availability(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    params: dict[str, Any] = {"latency_ms": None if c.latency_ms.is_missing else c.latency_ms.value}
    if c.hosting is HostingOption.SELF_HOSTED:
        return Tone.CAUTION, "operated_by_you", params
    return Tone.GOOD, "operated_by_provider", params


def _transparency(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    if c.transparency.is_missing:
        return Tone.UNKNOWN, "transparency_unknown", {}
    level = int(c.transparency.value)  # type: ignore[arg-type]
    if level >= 2:
        return Tone.GOOD, "transparency_open", {}
    if level == 1:
        return Tone.CAUTION, "transparency_partial", {}
    return Tone.BAD, "transparency_closed", {}


def _commercial(c: CandidateFacts) -> tuple[Tone, str, dict[str, Any]]:
    verdict = c.commercial_use or CommercialUse.UNKNOWN
    tone = {
        CommercialUse.ALLOWED: Tone.GOOD,
        CommercialUse.CONDITIONAL: Tone.CAUTION,
        CommercialUse.NOT_ALLOWED: Tone.BAD,
        CommercialUse.UNKNOWN: Tone.UNKNOWN,
    }[verdict]
    return tone, f"commercial_{verdict.value}", {}


_ASPECT_RULES = {
    Aspect.DATA: _data,
    Aspect.CUSTOMISATION: _customisation,
    Aspect.SUPPORT: _support,
    Aspect.AVAILABILITY: _availability,
    Aspect.TRANSPARENCY: _transparency,
    Aspect.COMMERCIAL_USE: _commercial,
}
