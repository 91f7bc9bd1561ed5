"""An evaluation → what the page (and later the PDF) shows: rows, explanations, sensitivity, summary, charts.

Everything here is in the active language; nothing here decides anything (the engine did).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.scorecards import display as d
from apps.scorecards.charts import RadarSeries, ScatterPoint, radar_svg, scatter_svg
from apps.scorecards.checks import CommercialUse
from apps.scorecards.comparison import build_summary
from apps.scorecards.costing import Basis, CarbonEstimate, CostEstimate
from apps.scorecards.evaluation import Evaluation
from apps.scorecards.regions import country_name
from apps.scorecards.scoring import (
    FACTORS,
    CandidateResult,
    CheckStatus,
    Factor,
    SensitivityStatus,
    WeightChange,
)

RADAR_MAX_SERIES = 8
RADAR_MAX_RANKED = 6


def _pct(x: float) -> str:
    return d.fmt_number(x * 100, 1)


def _points(x: float) -> str:
    return d.fmt_number(x, 1)


def cost_text(cost: CostEstimate) -> str:
    if cost.basis is Basis.TOKENS:
        return _("%(tin)s input and %(tout)s output tokens a month at the per-token prices") % {
            "tin": d.fmt_number(cost.monthly_input_tokens),
            "tout": d.fmt_number(cost.monthly_output_tokens),
        }
    if cost.basis is Basis.HOSTING:
        return ngettext(
            "%(n)s instance × %(price)s per hour × %(hours)s hours",
            "%(n)s instances × %(price)s per hour × %(hours)s hours",
            cost.instances or 0,
        ) % {
            "n": cost.instances,
            "price": d.fmt_money(cost.price_per_hour),
            "hours": d.fmt_number(cost.hours_per_month),
        }
    return _("Cannot be computed; missing: %(what)s") % {"what": ", ".join(_missing_names(cost.missing))}


def carbon_text(carbon: CarbonEstimate) -> str:
    zone = carbon.grid.zone
    mix = (
        _("world average electricity mix (hosting country unknown)")
        if carbon.grid.fallback
        else _("electricity mix of %(zone)s") % {"zone": zone}
    )
    if carbon.basis is Basis.MISSING:
        return _("Cannot be computed; missing: %(what)s") % {"what": ", ".join(_missing_names(carbon.missing))}
    return _("%(kwh)s kWh a month × %(g)s kg CO2e/kWh (%(mix)s)") % {
        "kwh": d.fmt_number(carbon.energy_kwh, 1),
        "g": d.fmt_number(carbon.grid.kg_co2e_per_kwh, 3),
        "mix": mix,
    }


_MISSING_NAMES = {
    "monthly_requests": gettext_lazy("requests per month (use case)"),
    "input_tokens_per_request": gettext_lazy("input tokens per request (use case)"),
    "output_tokens_per_request": gettext_lazy("output tokens per request (use case)"),
    "input_price": gettext_lazy("input price"),
    "output_price": gettext_lazy("output price"),
    "price_per_hour": gettext_lazy("instance price per hour"),
    "throughput": gettext_lazy("throughput per instance"),
    "energy_per_million_output_tokens": gettext_lazy("energy per million output tokens"),
}


def _missing_names(keys: Iterable[str]) -> list[str]:
    return [str(_MISSING_NAMES.get(k, k)) for k in keys]


def _check_rows(c: CandidateResult) -> list[dict[str, Any]]:
    rows = []
    for check in c.checks:
        rows.append(
            {
                "code": check.code,
                "label": str(d.CHECK_LABELS.get(check.code, check.code)),
                "status": check.status.value,
                "status_label": str(d.STATUS_LABELS[check.status]),
                "css": d.STATUS_CLASSES[check.status],
                "text": _describe(check),
                "applies": check.status is not CheckStatus.NOT_APPLICABLE,
            }
        )
    return rows


def _describe(check: Any) -> str:
    # country codes and residency choices read better as names
    params = dict(check.params or {})
    if check.code == "data_residency":
        if params.get("actual"):
            params["actual"] = country_name(str(params["actual"])) or params["actual"]
        required = params.get("required")
        if required in _RESIDENCY_NAMES:
            params["required"] = str(_RESIDENCY_NAMES[required])
    return d.describe_check(type(check)(check.code, check.status, check.reason, params))


_RESIDENCY_NAMES = {"eu": gettext_lazy("the EU/EEA"), "russia": gettext_lazy("Russia")}


def _factor_columns(evaluation: Evaluation, overridden: set[str]) -> list[dict[str, Any]]:
    result = evaluation.result
    cols = []
    for f in FACTORS:
        spec = result.specs[f]
        cols.append(
            {
                "key": f.value,
                "label": str(d.FACTOR_LABELS[f]),
                "short": str(d.FACTOR_SHORT[f]),
                "unit": str(d.FACTOR_UNITS[f]),
                "direction": str(d.DIRECTION_LABELS[spec.direction]),
                "scale": spec.scale.value,
                "weight": result.weights[f],
                "weight_display": d.fmt_number(result.weights[f], 1),
                "share": _pct(result.shares[f]),
                "overridden": f.value in overridden,
            }
        )
    return cols


def _candidate_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    rows = []
    for index, c in enumerate(evaluation.result.candidates):
        ec = evaluation.candidate(c.key)
        facts = ec.facts
        cells = []
        for fs in c.factors:
            cells.append(
                {
                    "factor": fs.factor.value,
                    "label": str(d.FACTOR_SHORT[fs.factor]),
                    "raw": d.factor_value_display(fs.factor, fs.raw),
                    "missing": fs.missing,
                    "score": _pct(fs.score),
                    "score_value": fs.score,
                    "contribution": _points(fs.contribution),
                    "contribution_value": fs.contribution,
                    "source": fs.source.value,
                    "source_label": str(d.SOURCE_LABELS[fs.source]),
                    "source_short": str(d.SOURCE_SHORT[fs.source]),
                    "detail": fs.detail,
                }
            )
        checks = _check_rows(c)
        rows.append(
            {
                "index": index + 1,
                "key": c.key,
                "label": c.label,
                "provider": facts.provider,
                "kind": facts.kind.value,
                "kind_label": str(d.KIND_LABELS[facts.kind]),
                "hosting_label": str(d.HOSTING_LABELS[facts.hosting]),
                "country": country_name(facts.hosting_location) if facts.hosting_location else "",
                "eligible": c.eligible,
                "rank": c.rank,
                "tied": c.tied,
                "total": _points(c.total),
                "total_value": c.total,
                "cells": cells,
                "checks": checks,
                "failed": [r for r in checks if r["status"] == CheckStatus.FAIL.value],
                "warnings": [r for r in checks if r["status"] == CheckStatus.WARN.value],
                "cost": d.fmt_money(ec.cost.monthly_cost),
                "cost_text": cost_text(ec.cost),
                "carbon": d.fmt_number(ec.carbon.kg_co2e, 1) if ec.carbon.kg_co2e is not None else "—",
                "carbon_text": carbon_text(ec.carbon),
                "commercial": str(d.COMMERCIAL_LABELS[facts.commercial_use or CommercialUse.UNKNOWN]),
            }
        )
    return rows


def _explanation(evaluation: Evaluation) -> dict[str, Any] | None:
    ranked = evaluation.result.ranked
    if not ranked:
        return None
    first = ranked[0]
    top = sorted(first.factors, key=lambda fs: -fs.contribution)[:3]
    text = _("%(name)s ranks first with %(total)s of 100 points; most of them come from %(factors)s.") % {
        "name": first.label,
        "total": _points(first.total),
        "factors": ", ".join(
            f"{d.FACTOR_SHORT[fs.factor]} (+{_points(fs.contribution)})" for fs in top if fs.contribution > 0
        )
        or "—",
    }
    out: dict[str, Any] = {"winner": first.label, "text": text, "versus": None}
    if len(ranked) > 1:
        second = ranked[1]
        deltas = []
        for fa, fb in zip(first.factors, second.factors, strict=True):
            deltas.append((fa.factor, fa.contribution - fb.contribution))
        ahead = [(f, x) for f, x in sorted(deltas, key=lambda t: -t[1]) if x > 1e-9]
        behind = [(f, x) for f, x in sorted(deltas, key=lambda t: t[1]) if x < -1e-9]
        out["versus"] = {
            "runner_up": second.label,
            "gap": _points(first.total - second.total),
            "ahead": [{"label": str(d.FACTOR_SHORT[f]), "points": _points(x)} for f, x in ahead],
            "behind": [{"label": str(d.FACTOR_SHORT[f]), "points": _points(-x)} for f, x in behind],
        }
    return out


def _change_text(ch: WeightChange) -> str:
    values = {
        "factor": d.FACTOR_SHORT[ch.factor],
        "from": d.fmt_number(ch.weight_from, 2),
        "to": d.fmt_number(ch.weight_to, 2),
        "share_from": _pct(ch.share_from),
        "share_to": _pct(ch.share_to),
        "name": ch.challenger_label,
    }
    if ch.direction == "increase":
        return (
            _(
                "Raising the weight of %(factor)s from %(from)s to %(to)s (share %(share_from)s%% → %(share_to)s%%) "
                "makes %(name)s tie for first place; any more and it wins."
            )
            % values
        )
    return (
        _(
            "Lowering the weight of %(factor)s from %(from)s to %(to)s (share %(share_from)s%% → %(share_to)s%%) "
            "makes %(name)s tie for first place; any less and it wins."
        )
        % values
    )


def _sensitivity(evaluation: Evaluation) -> dict[str, Any]:
    s = evaluation.result.sensitivity
    out: dict[str, Any] = {"status": s.status.value, "rows": [], "headline": ""}
    if s.status is SensitivityStatus.NONE:
        out["headline"] = _("No candidate can be ranked: every candidate violates a hard constraint.")
    elif s.status is SensitivityStatus.SINGLE:
        out["headline"] = _("Only one candidate can be ranked, so no weight change can change the winner.")
    elif s.status is SensitivityStatus.TIE:
        names = ", ".join(c.label for c in evaluation.result.winners)
        out["headline"] = _("%(names)s tie for first place: any weight change in favour of one of them decides.") % {
            "names": names
        }
    elif s.status is SensitivityStatus.UNBREAKABLE:
        out["headline"] = _("No change of a single weight lets another candidate catch up with the winner.")
    elif s.smallest is not None:
        out["headline"] = _change_text(s.smallest)
        out["smallest"] = {"factor": s.smallest.factor.value, "direction": s.smallest.direction}
    for ch in s.per_factor:
        out["rows"].append(
            {
                "factor": str(d.FACTOR_SHORT[ch.factor]),
                "direction": ch.direction,
                "direction_label": _("raise") if ch.direction == "increase" else _("lower"),
                "from": d.fmt_number(ch.weight_from, 2),
                "to": d.fmt_number(ch.weight_to, 2),
                "share_from": _pct(ch.share_from),
                "share_to": _pct(ch.share_to),
                "challenger": ch.challenger_label,
                "smallest": s.smallest is ch,
            }
        )
    return out


def _summary(evaluation: Evaluation) -> dict[str, Any]:
    summary = build_summary([c.facts for c in evaluation.candidates])
    rows = []
    for row in summary.rows:
        cells = []
        for cell in (row.proprietary, row.open_weights):
            cells.append(
                {
                    "framing": str(d.FRAMING[cell.framing]),
                    "facts": [
                        {
                            "label": f.label,
                            "css": d.TONE_CLASSES[f.tone],
                            "icon": d.TONE_ICONS[f.tone],
                            "tone": str(d.TONE_LABELS[f.tone]),
                            "text": _aspect_text(f.reason, f.params),
                        }
                        for f in cell.facts
                    ],
                }
            )
        rows.append({"aspect": str(d.ASPECT_LABELS[row.aspect]), "cells": cells})
    return {
        "rows": rows,
        "proprietary_count": summary.proprietary_count,
        "open_weights_count": summary.open_weights_count,
    }


def _aspect_text(reason: str, params: Mapping[str, Any]) -> str:
    text = str(d.ASPECT_REASONS.get(reason, reason))
    if reason in ("operated_by_you", "operated_by_provider") and params.get("latency_ms") is not None:
        text += " · " + _("%(ms)s ms measured") % {"ms": d.fmt_number(params["latency_ms"])}
    return text


def radar_chart(evaluation: Evaluation, chart_id: str = "radar") -> SafeString:
    result = evaluation.result
    ranked = list(result.ranked[:RADAR_MAX_RANKED])
    excluded = list(result.excluded[: max(0, RADAR_MAX_SERIES - len(ranked))])
    shown = ranked + excluded
    omitted = len(result.candidates) - len(shown)
    series = [
        RadarSeries(
            label=(f"{c.rank}. {c.label}" if c.eligible else f"{c.label} — {_('excluded')}"),
            values=[None if fs.missing else fs.score for fs in c.factors],
            excluded=not c.eligible,
        )
        for c in shown
    ]
    desc_parts = []
    for c in shown:
        scores = ", ".join(f"{d.FACTOR_SHORT[fs.factor]} {'—' if fs.missing else _pct(fs.score)}" for fs in c.factors)
        desc_parts.append(f"{c.label}: {scores}")
    notes = [
        _(
            "Scores from 0 (worst in the shortlist) to 100 (best). "
            "Hollow markers: missing values or excluded candidates."
        )
    ]
    if omitted > 0:
        notes.append(
            ngettext("%(n)s more candidate is in the table.", "%(n)s more candidates are in the table.", omitted)
            % {"n": omitted}
        )
    svg = radar_svg(
        chart_id=chart_id,
        axes=[str(d.FACTOR_SHORT[f]) for f in FACTORS],
        series=series,
        title=_("Factor scores per candidate"),
        desc="; ".join(desc_parts),
        note=" ".join(notes),
    )
    return mark_safe(svg)


def scatter_chart(evaluation: Evaluation, chart_id: str = "scatter") -> SafeString:
    result = evaluation.result
    points = []
    not_plotted = []
    desc = []
    for c in result.candidates:
        ec = evaluation.candidate(c.key)
        quality = c.factor(Factor.QUALITY).raw
        cost = ec.cost.monthly_cost
        label = c.label if c.eligible else f"{c.label} — {_('excluded')}"
        points.append(ScatterPoint(label, cost, quality, excluded=not c.eligible))
        if cost is None or quality is None:
            not_plotted.append(c.label)
        else:
            desc.append(f"{c.label}: {d.fmt_money(cost)}, {d.fmt_number(quality, 1)}")
    note = ""
    if not_plotted:
        note = _("Not plotted (cost or quality unknown): %(names)s") % {"names": ", ".join(not_plotted)}
    svg = scatter_svg(
        chart_id=chart_id,
        points=points,
        title=_("Monthly cost against answer quality"),
        desc="; ".join(desc) or _("No candidate has both a cost and a quality score."),
        x_label=_("Monthly cost for this use case (USD)"),
        y_label=_("Answer quality (0–100)"),
        note=note,
        format_x=lambda v: d.fmt_money(v, 0),
        format_y=lambda v: d.fmt_number(v),
    )
    return mark_safe(svg)


def requirement_rows(evaluation: Evaluation) -> list[dict[str, str]]:
    req, work = evaluation.requirements, evaluation.workload
    rows = [
        (_("Minimum context window"), d.fmt_number(req.min_context_window) if req.min_context_window else "—"),
        (_("Maximum latency"), f"{d.fmt_number(req.max_latency_ms)} ms" if req.max_latency_ms else "—"),
        (_("Real-time use"), _("yes") if req.real_time else _("no")),
        (_("Requests per month"), d.fmt_number(work.monthly_requests)),
        (
            _("Tokens per request (in / out)"),
            f"{d.fmt_number(work.input_tokens_per_request)} / {d.fmt_number(work.output_tokens_per_request)}",
        ),
        (_("Monthly budget (USD)"), d.fmt_money(req.monthly_budget)),
        (_("Commercial use intended"), _("yes") if req.commercial_use else _("no")),
        (_("Fine-tuning needed"), _("yes") if req.needs_fine_tuning else _("no")),
        (
            _("Highest data classification"),
            str(d.CLASSIFICATION_LABELS[req.data_classification]) if req.data_classification else _("unknown"),
        ),
    ]
    return [{"label": str(a), "value": str(b)} for a, b in rows]


def page_context(evaluation: Evaluation, *, overridden: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "factors": _factor_columns(evaluation, set(overridden)),
        "rows": _candidate_rows(evaluation),
        "explanation": _explanation(evaluation),
        "sensitivity": _sensitivity(evaluation),
        "summary": _summary(evaluation),
        "radar_svg": radar_chart(evaluation),
        "scatter_svg": scatter_chart(evaluation),
        "requirements": requirement_rows(evaluation),
        "missing_rule": str(d.MISSING_RULE_LABELS[evaluation.result.missing_rule]),
        "sources": [
            {"key": src.value, "short": str(d.SOURCE_SHORT[src]), "label": str(d.SOURCE_LABELS[src])}
            for src in d.SOURCE_LABELS
        ],
        "ranked_count": len(evaluation.result.ranked),
        "excluded_count": len(evaluation.result.excluded),
    }


__all__ = [
    "carbon_text",
    "cost_text",
    "page_context",
    "radar_chart",
    "requirement_rows",
    "scatter_chart",
]
