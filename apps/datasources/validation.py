"""Cross-field rules of a data source, shared by ``DataSource.clean()`` and the import parser so a
form, the API and an imported row are held to exactly the same rules. Pure: a mapping in, a mapping
of field → message out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.datasources.choices import Origin


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def datasource_cross_field_errors(values: Mapping[str, Any]) -> dict[str, str | Promise]:
    """Errors keyed by field name; empty when the combination of values is consistent."""
    errors: dict[str, str | Promise] = {}
    if values.get("origin") == Origin.EXTERNAL and _blank((values.get("licence") or "").strip()):
        errors["licence"] = _("External data needs its licence or terms of use.")
    if not _blank(values.get("volume")) and _blank(values.get("volume_unit")):
        errors["volume_unit"] = _("Give the unit of the volume.")
    if _blank(values.get("volume")) and not _blank(values.get("volume_unit")):
        errors["volume"] = _("Give the volume for this unit, or leave both empty.")
    if not _blank(values.get("storage_cost_monthly")) and _blank(values.get("storage_cost_currency")):
        errors["storage_cost_currency"] = _("Give the currency of the storage cost.")
    if values.get("contains_personal_data"):
        if _blank(values.get("personal_data_categories")):
            errors["personal_data_categories"] = _("Name the categories of personal data the source holds.")
    elif not _blank(values.get("personal_data_categories")):
        errors["personal_data_categories"] = _(
            "Personal-data categories only apply when the source holds personal data."
        )
    return errors
