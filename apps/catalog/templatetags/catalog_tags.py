from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def fact(value: Any) -> Any:
    """Display a catalog fact: decimals without trailing zeros, large integers grouped, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, int):
        return intcomma(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


@register.filter
def run_problem(error: Any) -> Any:
    """A refresh-run problem (a dict with ``message`` and ``status``) as a translated summary and detail."""
    from apps.catalog.run_problems import describe

    if not isinstance(error, dict):
        return describe(str(error))
    return describe(str(error.get("message") or ""), str(error.get("status") or ""))
