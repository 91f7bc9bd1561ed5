"""Forms of the scorecard pages. They translate HTTP input to service arguments; the services validate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.registry.models import RegisteredModel
from apps.scorecards import display as d
from apps.scorecards.checks import CLASSIFICATION_ORDER, HostingOption
from apps.scorecards.models import (
    MAX_WEIGHT,
    MissingRuleChoices,
    PolicyVerdictChoices,
    Scorecard,
    ScorecardCandidate,
    WeightProfile,
)
from apps.scorecards.regions import country_choices
from apps.scorecards.scoring import FACTORS
from apps.scorecards.services import CANDIDATE_FIELDS
from apps.usecases.models import UseCase


class RegisteredModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.get_hosting_display()}"


class RegisteredModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.get_hosting_display()}"


def _weight_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(MAX_WEIGHT),
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text=help_text,
    )


def parse_rates(text: str) -> dict[str, str]:
    """``"EUR=0.92, RUB=95"`` → ``{"EUR": "0.92", "RUB": "95"}`` (the model validates the values)."""
    out: dict[str, str] = {}
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValidationError(_("Write each rate as CODE=rate, e.g. EUR=0.92."), code="invalid_rates")
        code, _sep, value = part.partition("=")
        out[code.strip().upper()] = value.strip().replace(",", ".")
    return out


def format_rates(rates: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted((rates or {}).items()))


class ScorecardCreateForm(forms.Form):
    use_case: forms.ModelChoiceField[UseCase] = forms.ModelChoiceField(
        queryset=UseCase.objects.none(), label=_("Use case")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    registered_models = RegisteredModelMultipleChoiceField(
        queryset=RegisteredModel.objects.none(),
        label=_("Shortlist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The registered models to compare; you can add and remove candidates later."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["use_case"].queryset = UseCase.objects.filter(organization=organization).order_by("title")  # type: ignore[attr-defined]
        self.fields["registered_models"].queryset = RegisteredModel.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("name")


class ScorecardEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    missing_rule = forms.ChoiceField(
        label=_("Missing-value rule"),
        required=False,
        choices=[("", _("The organization's default"))] + list(MissingRuleChoices.choices),
    )
    currency_rates = forms.CharField(
        label=_("Exchange rates"),
        required=False,
        help_text=_("Units per 1 USD for budgets and prices in other currencies, e.g. EUR=0.92, RUB=95."),
    )

    def __init__(self, *args: Any, profile: WeightProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in FACTORS:
            default = (profile.weights or {}).get(f.value, 0)
            field = _weight_field(
                d.FACTOR_LABELS[f],
                required=False,
                help_text=_("Empty: the organization's default (%(value)s).") % {"value": d.fmt_number(default, 1)},
            )
            field.widget.attrs["placeholder"] = d.fmt_number(default, 1)
            self.fields[f"w_{f.value}"] = field

    @classmethod
    def initial_for(cls, scorecard: Scorecard) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": scorecard.title,
            "description": scorecard.description,
            "missing_rule": scorecard.missing_rule,
            "currency_rates": format_rates(scorecard.currency_rates),
        }
        for key, value in (scorecard.weight_overrides or {}).items():
            initial[f"w_{key}"] = value
        return initial

    def weight_fields(self) -> list[Any]:
        return [self[f"w_{f.value}"] for f in FACTORS]

    def clean_currency_rates(self) -> dict[str, str]:
        return parse_rates(self.cleaned_data.get("currency_rates") or "")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        overrides = {f.value: float(data[f"w_{f.value}"]) for f in FACTORS if data.get(f"w_{f.value}") is not None}
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "missing_rule": data.get("missing_rule", ""),
            "currency_rates": data.get("currency_rates", {}),
            "weight_overrides": overrides,
        }


class CandidateForm(forms.ModelForm):  # type: ignore[type-arg]
    hosting_country = forms.ChoiceField(label=_("Hosting country"), required=False)

    class Meta:
        model = ScorecardCandidate
        fields = CANDIDATE_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, organization: Any, adding: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["hosting_country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", _("Unknown")), *country_choices()]
        self.fields["hosting_country"].help_text = _(
            "Where the model runs for this use case: checked against data residency and used for the electricity mix."
        )
        self.fields["support_contract"].widget = forms.Select(
            choices=[("", _("Not recorded")), ("true", _("Yes")), ("false", _("No"))]
        )
        for name in ("price_per_hour", "throughput_tps", "hours_per_month", "peak_factor", "power_kw", "pue"):
            self.fields[name].localize = True
        if adding:
            self.fields["registered_model"] = RegisteredModelChoiceField(
                queryset=RegisteredModel.objects.filter(organization=organization).order_by("name"),
                label=_("Registered model"),
            )
            self.order_fields(["registered_model", *CANDIDATE_FIELDS])

    def section_fields(self) -> list[tuple[Any, list[Any]]]:
        first = ["registered_model"] if "registered_model" in self.fields else []
        return [
            (
                _("Candidate"),
                [self[n] for n in [*first, "hosting_country", "dpa_in_place", "support_contract", "transparency"]],
            ),
            (
                _("Hosting estimate (self-hosted or rented instances)"),
                [
                    self[n]
                    for n in ("price_per_hour", "throughput_tps", "hours_per_month", "peak_factor", "min_instances")
                ],
            ),
            (_("Energy"), [self[n] for n in ("power_kw", "pue")]),
            (_("Notes"), [self["notes"]]),
        ]


class WeightProfileForm(forms.Form):
    missing_rule = forms.ChoiceField(label=_("Missing-value rule"), choices=MissingRuleChoices.choices)
    prefer_larger_models = forms.BooleanField(
        label=_("Prefer larger models"),
        required=False,
        help_text=_("Off: fewer parameters score better (cheaper to run and fine-tune). On: more parameters do."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in FACTORS:
            self.fields[f"w_{f.value}"] = _weight_field(d.FACTOR_LABELS[f], required=True)

    @classmethod
    def initial_for(cls, profile: WeightProfile) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "missing_rule": profile.missing_rule,
            "prefer_larger_models": profile.prefer_larger_models,
        }
        for f in FACTORS:
            initial[f"w_{f.value}"] = (profile.weights or {}).get(f.value, 0)
        return initial

    def weight_fields(self) -> list[Any]:
        return [self[f"w_{f.value}"] for f in FACTORS]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weights": {f.value: float(data[f"w_{f.value}"]) for f in FACTORS},
            "missing_rule": data["missing_rule"],
            "prefer_larger_models": data.get("prefer_larger_models", False),
        }


class DataPolicyForm(forms.Form):
    """One verdict per (classification, hosting option) cell."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in CLASSIFICATION_ORDER:
            for h in HostingOption:
                field = forms.ChoiceField(
                    label=f"{d.CLASSIFICATION_LABELS[c]} · {d.HOSTING_LABELS[h]}",
                    choices=PolicyVerdictChoices.choices,
                )
                self.fields[f"{c.value}:{h.value}"] = field

    def table(self) -> list[dict[str, Any]]:
        return [
            {"label": d.CLASSIFICATION_LABELS[c], "cells": [self[f"{c.value}:{h.value}"] for h in HostingOption]}
            for c in CLASSIFICATION_ORDER
        ]

    @staticmethod
    def hosting_labels() -> list[Any]:
        return [d.HOSTING_LABELS[h] for h in HostingOption]
