"""Countries and regions: hosting countries (ISO 3166-1 alpha-2), their EcoLogits electricity zone
(alpha-3), translated names (pycountry's ISO catalogs), and the country sets behind the use case's
data-residency choices."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

__all__ = ["EU_EEA", "country_choices", "country_name", "electricity_zone", "is_country", "residency_countries"]

# EU member states plus the EEA countries (Iceland, Liechtenstein, Norway).
EU_EEA: frozenset[str] = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)


@cache
def _alpha3() -> dict[str, str]:
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def is_country(code: str) -> bool:
    return (code or "").upper() in _alpha3()


def electricity_zone(code: str | None) -> str | None:
    """The EcoLogits zone of a hosting country (None when unknown: the world mix is used)."""
    return _alpha3().get((code or "").upper())


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    lang = (get_language() or "en").split("-")[0]
    return _translation(lang).gettext(name) if lang != "en" else name


@cache
def _choices(language: str) -> list[tuple[str, str]]:
    tr = _translation(language)
    out = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        out.append((c.alpha_2, tr.gettext(name) if language != "en" else name))
    return sorted(out, key=lambda pair: pair[1])


def country_choices() -> list[tuple[str, str]]:
    return list(_choices((get_language() or "en").split("-")[0]))


def residency_countries(residency: str) -> frozenset[str] | None:
    """Allowed hosting countries for a use case's residency choice (None: not a country list)."""
    if residency == "eu":
        return EU_EEA
    if residency == "russia":
        return frozenset({"RU"})
    return None
