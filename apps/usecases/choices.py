"""Choice lists of the use-case domain. They live in their own module (no models) so pure code —
readiness rules, import parsing — can use them without touching the database."""

from __future__ import annotations

from django.conf import global_settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """LLMOps life-cycle phases. Moves are allowed in any direction (design.md §1)."""

    IDEATION = "ideation", _("Ideation")
    DEVELOPMENT = "development", _("Development")
    OPERATION = "operation", _("Operation")


class UseCaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")
    RETIRED = "retired", _("Retired")


class DataResidency(models.TextChoices):
    """Where the data (and so the model serving it) must stay. ``specific_country`` and ``other``
    are explained in the free-text note."""

    NONE = "none", _("No constraint")
    EU = "eu", _("Must stay in the EU/EEA")
    RUSSIA = "russia", _("Must stay in Russia")
    ON_PREMISES = "on_premises", _("Must stay on-premises")
    SPECIFIC_COUNTRY = "specific_country", _("Must stay in a specific country")
    OTHER = "other", _("Other constraint")


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (EUR)")
    USD = "USD", _("US dollar (USD)")
    RUB = "RUB", _("Russian rouble (RUB)")
    GBP = "GBP", _("Pound sterling (GBP)")
    CHF = "CHF", _("Swiss franc (CHF)")
    CNY = "CNY", _("Chinese yuan (CNY)")
    JPY = "JPY", _("Japanese yen (JPY)")
    INR = "INR", _("Indian rupee (INR)")
    KZT = "KZT", _("Kazakhstani tenge (KZT)")
    AED = "AED", _("UAE dirham (AED)")


#: Languages a use case may need; codes and names are Django's own list (its catalogs translate the
#: names, so no entries of ours are needed).
LANGUAGE_CHOICES: list[tuple[str, str]] = list(global_settings.LANGUAGES)
LANGUAGE_CODES: frozenset[str] = frozenset(code for code, _name in LANGUAGE_CHOICES)
