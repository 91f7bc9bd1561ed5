"""Human words for the engine's codes, in the user's language (the engine itself speaks codes)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar

from django.utils.formats import get_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from apps.scorecards.checks import Classification, CommercialUse, HostingOption, ModelKind, PolicyVerdict
from apps.scorecards.comparison import Aspect, Tone
from apps.scorecards.scoring import Check, CheckStatus, Direction, Factor, MissingRule, Source

K = TypeVar("K")


class Translated(Mapping[K, str], Generic[K]):
    """A mapping of lazy strings resolved once per language (a page looks labels up thousands of times)."""

    def __init__(self, data: Mapping[K, Any]) -> None:
        self._data = dict(data)
        self._cache: dict[str, dict[K, str]] = {}

    def _resolved(self) -> dict[K, str]:
        language = get_language() or "en"
        table = self._cache.get(language)
        if table is None:
            table = self._cache[language] = {k: str(v) for k, v in self._data.items()}
        return table

    def __getitem__(self, key: K) -> str:
        return self._resolved()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


FACTOR_LABELS: Mapping[Factor, str] = Translated(
    {
        Factor.SPEED: _("Speed"),
        Factor.QUALITY: _("Answer quality"),
        Factor.TRANSPARENCY: _("Training-data transparency"),
        Factor.CONTEXT_WINDOW: _("Context window"),
        Factor.FINE_TUNING: _("Fine-tuning ability"),
        Factor.LICENCE: _("Licence / commercial use"),
        Factor.COST: _("Cost"),
        Factor.CARBON: _("Environmental impact"),
        Factor.PARAMETERS: _("Parameter count"),
        Factor.POPULARITY: _("Popularity"),
    }
)

FACTOR_SHORT: Mapping[Factor, str] = Translated(
    {
        Factor.SPEED: _("Speed"),
        Factor.QUALITY: _("Quality"),
        Factor.TRANSPARENCY: _("Transparency"),
        Factor.CONTEXT_WINDOW: _("Context"),
        Factor.FINE_TUNING: _("Fine-tuning"),
        Factor.LICENCE: _("Licence"),
        Factor.COST: _("Cost"),
        Factor.CARBON: _("Carbon"),
        Factor.PARAMETERS: _("Parameters"),
        Factor.POPULARITY: _("Popularity"),
    }
)

FACTOR_UNITS: Mapping[Factor, str] = Translated(
    {
        Factor.SPEED: _("latency, ms"),
        Factor.QUALITY: _("evaluation score, 0–100"),
        Factor.TRANSPARENCY: _("level 0–2"),
        Factor.CONTEXT_WINDOW: _("tokens"),
        Factor.FINE_TUNING: _("level 0–2"),
        Factor.LICENCE: _("commercial-use verdict"),
        Factor.COST: _("USD per month"),
        Factor.CARBON: _("kg CO2e per month"),
        Factor.PARAMETERS: _("parameters"),
        Factor.POPULARITY: _("downloads"),
    }
)

DIRECTION_LABELS: Mapping[Direction, str] = Translated(
    {
        Direction.HIGHER: _("higher is better"),
        Direction.LOWER: _("lower is better"),
    }
)

SOURCE_SHORT: Mapping[Source, str] = Translated(
    {
        Source.OWN: _("own"),
        Source.CATALOG: _("catalog"),
        Source.SCORECARD: _("assessed"),
        Source.COMPUTED: _("computed"),
        Source.MISSING: _("missing"),
    }
)

SOURCE_LABELS: Mapping[Source, str] = Translated(
    {
        Source.OWN: _("own measurement or value"),
        Source.CATALOG: _("catalog"),
        Source.SCORECARD: _("assessed on the scorecard"),
        Source.COMPUTED: _("computed for this use case"),
        Source.MISSING: _("missing"),
    }
)

MISSING_RULE_LABELS: Mapping[MissingRule, str] = Translated(
    {
        MissingRule.WORST: _("Worst: a missing value scores 0"),
        MissingRule.NEUTRAL: _("Neutral: a missing value scores 0.5"),
        MissingRule.MEAN: _("Mean: a missing value scores the mean of the known values"),
    }
)

STATUS_LABELS: Mapping[CheckStatus, str] = Translated(
    {
        CheckStatus.PASS: _("Passed"),
        CheckStatus.WARN: _("Warning"),
        CheckStatus.FAIL: _("Violated"),
        CheckStatus.NOT_APPLICABLE: _("Not required"),
    }
)

CHECK_LABELS: Mapping[str, str] = Translated(
    {
        "context_window": _("Context window"),
        "commercial_use": _("Commercial use"),
        "data_policy": _("Data classification policy"),
        "data_residency": _("Data residency"),
        "latency": _("Latency"),
        "budget": _("Budget"),
        "fine_tuning": _("Fine-tuning"),
    }
)

KIND_LABELS: Mapping[ModelKind, str] = Translated(
    {
        ModelKind.PROPRIETARY: _("Proprietary"),
        ModelKind.OPEN_WEIGHTS: _("Open weights"),
    }
)

HOSTING_LABELS: Mapping[HostingOption, str] = Translated(
    {
        HostingOption.VENDOR_API: _("Vendor API"),
        HostingOption.CLOUD_MARKETPLACE: _("Cloud marketplace"),
        HostingOption.SELF_HOSTED: _("Self-hosted"),
    }
)

CLASSIFICATION_LABELS: Mapping[Classification, str] = Translated(
    {
        Classification.PUBLIC: _("Public"),
        Classification.INTERNAL: _("Internal"),
        Classification.CONFIDENTIAL: _("Confidential"),
        Classification.RESTRICTED: _("Restricted"),
    }
)

VERDICT_LABELS: Mapping[PolicyVerdict, str] = Translated(
    {
        PolicyVerdict.ALLOWED: _("Allowed"),
        PolicyVerdict.ALLOWED_WITH_DPA: _("Allowed with a DPA"),
        PolicyVerdict.FORBIDDEN: _("Forbidden"),
    }
)

COMMERCIAL_LABELS: Mapping[CommercialUse, str] = Translated(
    {
        CommercialUse.ALLOWED: _("commercial use allowed"),
        CommercialUse.CONDITIONAL: _("commercial use under conditions"),
        CommercialUse.NOT_ALLOWED: _("commercial use not allowed"),
        CommercialUse.UNKNOWN: _("commercial use unknown"),
    }
)

LEVEL_LABELS: Mapping[Factor, Mapping[int, str]] = {
    Factor.TRANSPARENCY: Translated({0: _("undisclosed"), 1: _("partly documented"), 2: _("open training data")}),
    Factor.FINE_TUNING: Translated({0: _("not possible"), 1: _("through the vendor's service"), 2: _("full weights")}),
}

CHECK_REASONS: Mapping[str, str] = Translated(
    {
        "not_required": _("The use case does not ask for it."),
        "context_unknown": _("Context window unknown; the use case needs %(required)s tokens."),
        "context_too_small": _("Context window of %(actual)s tokens is below the required %(required)s."),
        "context_ok": _("Context window of %(actual)s tokens meets the required %(required)s."),
        "licence_forbids_commercial": _("Commercial use is intended but the licence does not allow it."),
        "licence_conditional": _("Commercial use is allowed only under conditions: check the licence terms."),
        "licence_unknown": _("Commercial use is intended and the licence verdict is unknown."),
        "licence_allows_commercial": _("The licence allows commercial use."),
        "data_stays": _("The model is self-hosted: data stays inside the organization."),
        "classification_unknown": _(
            "No data classification is recorded for the use case, "
            "and data would leave the organization (“%(hosting)s”)."
        ),
        "policy_forbids": _("The data policy forbids “%(classification)s” data on “%(hosting)s”."),
        "policy_needs_dpa": _(
            "The data policy allows “%(classification)s” data on “%(hosting)s” only with a DPA, and none is recorded."
        ),
        "policy_dpa_in_place": _(
            "The data policy allows “%(classification)s” data on “%(hosting)s” with a DPA; a DPA is in place."
        ),
        "policy_allows": _("The data policy allows “%(classification)s” data on “%(hosting)s”."),
        "location_unknown": _("Hosting location unknown; the data must stay in %(required)s."),
        "residency_not_met": _("Hosted in %(actual)s; the data must stay in %(required)s."),
        "residency_met": _("Hosted in %(actual)s, within %(required)s."),
        "on_premises_required": _("The data must stay on-premises; this model is not self-hosted."),
        "on_premises_ok": _("Self-hosted, as the on-premises requirement asks."),
        "residency_manual": _("Check by hand: %(required)s."),
        "realtime_latency_unknown": _("Real-time use case and no latency figure for this model."),
        "latency_unknown": _("Latency unknown; the use case allows at most %(required)s ms."),
        "latency_too_high": _("Latency of %(actual)s ms exceeds the maximum of %(required)s ms."),
        "latency_ok": _("Latency of %(actual)s ms is within the maximum of %(required)s ms."),
        "cost_unknown": _("Monthly cost unknown; the budget is %(required)s."),
        "over_budget": _("Monthly cost of %(actual)s exceeds the budget of %(required)s."),
        "within_budget": _("Monthly cost of %(actual)s is within the budget of %(required)s."),
        "budget_currency": _("The budget is in %(currency)s and costs are in USD: give an exchange rate to check it."),
        "fine_tuning_unknown": _("Fine-tuning is needed and it is unknown whether this model can be fine-tuned."),
        "fine_tuning_impossible": _("Fine-tuning is needed and this model cannot be fine-tuned."),
        "fine_tuning_possible": _("The model can be fine-tuned."),
    }
)

ASPECT_LABELS: Mapping[Aspect, str] = Translated(
    {
        Aspect.DATA: _("Where the data goes"),
        Aspect.CUSTOMISATION: _("Customisation"),
        Aspect.SUPPORT: _("Support"),
        Aspect.AVAILABILITY: _("Availability and speed"),
        Aspect.TRANSPARENCY: _("Transparency"),
        Aspect.COMMERCIAL_USE: _("Commercial-use limits"),
    }
)

FRAMING: Mapping[str, str] = Translated(
    {
        "data.proprietary_api": _("Prompts and data are sent to the vendor."),
        "data.open_weights": _("Can be self-hosted: data can stay inside the organization."),
        "customisation.proprietary_api": _("Minimal customisation: at most the vendor's fine-tuning service."),
        "customisation.open_weights": _("Full customisation: the weights can be fine-tuned and adapted."),
        "support.proprietary_api": _("Vendor support and a quality guarantee."),
        "support.open_weights": _("No official support: community help, or a contract with a third party."),
        "availability.proprietary_api": _("High availability and speed, run by the vendor."),
        "availability.open_weights": _("Availability and speed depend on your own infrastructure."),
        "transparency.proprietary_api": _("Little is disclosed about architecture and training data."),
        "transparency.open_weights": _("Full transparency: weights, and often architecture and data, are published."),
        "commercial_use.proprietary_api": _("Commercial use is covered by the vendor's terms."),
        "commercial_use.open_weights": _("Not always licensed for commercial use: check each licence."),
    }
)

ASPECT_REASONS: Mapping[str, str] = Translated(
    {
        "data_stays": _("self-hosted: data stays in-house"),
        "data_cloud": _("cloud marketplace: data stays in your cloud account"),
        "data_vendor": _("vendor API: data leaves to the vendor, no DPA"),
        "data_vendor_dpa": _("vendor API: data leaves to the vendor under a DPA"),
        "fine_tuning_full": _("full fine-tuning of the weights"),
        "fine_tuning_vendor": _("fine-tuning through the vendor's service"),
        "fine_tuning_none": _("no fine-tuning"),
        "fine_tuning_unknown": _("fine-tuning ability unknown"),
        "support_contract": _("support contract in place"),
        "support_community": _("community support only"),
        "support_vendor_assumed": _("vendor support (no contract recorded)"),
        "support_unknown": _("no support contract recorded"),
        "operated_by_you": _("operated by you"),
        "operated_by_provider": _("operated by the provider"),
        "transparency_open": _("open training data"),
        "transparency_partial": _("training data partly documented"),
        "transparency_closed": _("training data undisclosed"),
        "transparency_unknown": _("transparency unknown"),
        "commercial_allowed": _("commercial use allowed"),
        "commercial_conditional": _("commercial use under conditions"),
        "commercial_not_allowed": _("commercial use not allowed"),
        "commercial_unknown": _("commercial use unknown"),
    }
)

TONE_CLASSES: Mapping[Tone, str] = {
    Tone.GOOD: "success",
    Tone.CAUTION: "warning",
    Tone.BAD: "danger",
    Tone.UNKNOWN: "secondary",
}

TONE_ICONS: Mapping[Tone, str] = {
    Tone.GOOD: "check-circle-fill",
    Tone.CAUTION: "exclamation-triangle-fill",
    Tone.BAD: "x-circle-fill",
    Tone.UNKNOWN: "question-circle-fill",
}

TONE_LABELS: Mapping[Tone, str] = Translated(
    {
        Tone.GOOD: _("favourable"),
        Tone.CAUTION: _("caution"),
        Tone.BAD: _("unfavourable"),
        Tone.UNKNOWN: _("unknown"),
    }
)

STATUS_CLASSES: Mapping[CheckStatus, str] = {
    CheckStatus.PASS: "success",
    CheckStatus.WARN: "warning",
    CheckStatus.FAIL: "danger",
    CheckStatus.NOT_APPLICABLE: "secondary",
}


SCORING_ERRORS: Mapping[str, str] = Translated(
    {
        "all_weights_zero": _("At least one weight must be greater than zero."),
        "invalid_weight": _("Every weight must be a number between 0 and 100."),
        "unknown_factor": _("The weights name an unknown factor."),
        "duplicate_candidate": _("A model appears twice on the shortlist."),
    }
)


def scoring_error_text(exc: Any) -> str:
    message = SCORING_ERRORS.get(getattr(exc, "code", ""))
    return str(message) if message is not None else str(exc)


@lru_cache(maxsize=16)
def _separators(language: str) -> tuple[str, str]:
    return str(get_format("DECIMAL_SEPARATOR", language)), str(get_format("THOUSAND_SEPARATOR", language))


def fmt_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the active language's style, grouped by thousands (1,234.5 / 1 234,5)."""
    if value is None:
        return "—"
    decimal, thousands = _separators(get_language() or "en")
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def fmt_money(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"${fmt_number(value, digits)}"


def _param(key: str, value: Any, check: Check) -> str:
    if value is None:
        return "—"
    if key == "hosting":
        return str(HOSTING_LABELS.get(HostingOption(value), value))
    if key == "classification":
        return str(CLASSIFICATION_LABELS.get(Classification(value), value))
    if check.code == "budget" and key in ("required", "actual"):
        return fmt_money(float(value))
    if isinstance(value, int | float):
        return fmt_number(value)
    return str(value)


def describe_check(check: Check) -> str:
    """The check's reason as a sentence in the active language."""
    text = CHECK_REASONS.get(check.reason)
    if text is None:
        return check.reason
    params = {k: _param(k, v, check) for k, v in (check.params or {}).items()}
    try:
        return text % params if "%(" in text else text
    except (KeyError, ValueError):
        return text


def factor_value_display(factor: Factor, raw: float | None) -> str:
    """A raw value in its own unit (level names for ordinal scales)."""
    if raw is None:
        return "—"
    if factor in LEVEL_LABELS:
        label = LEVEL_LABELS[factor].get(int(raw))
        return str(label) if label is not None else fmt_number(raw)
    if factor is Factor.LICENCE:
        return str(
            {
                1.0: COMMERCIAL_LABELS[CommercialUse.ALLOWED],
                0.5: COMMERCIAL_LABELS[CommercialUse.CONDITIONAL],
                0.0: COMMERCIAL_LABELS[CommercialUse.NOT_ALLOWED],
            }.get(float(raw), fmt_number(raw, 1))
        )
    if factor is Factor.COST:
        return fmt_money(raw)
    if factor is Factor.CARBON:
        return fmt_number(raw, 1)
    if factor is Factor.PARAMETERS:
        return gettext("%(n)s B") % {"n": fmt_number(raw / 1e9, 1)}
    if factor is Factor.QUALITY:
        return fmt_number(raw, 1)
    return fmt_number(raw)
