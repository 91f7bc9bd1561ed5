from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def has_role(membership: Any, roles: str) -> bool:
    """``{% if membership|has_role:"admin,contributor" %}``"""
    return membership is not None and membership.has_any_role(*[r.strip() for r in roles.split(",") if r.strip()])


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def bs_widget(field: Any) -> Any:
    """Render a bound field's widget with Bootstrap classes and ARIA links to help and errors."""
    widget_type = getattr(field, "widget_type", "")
    if widget_type == "checkbox":
        css = "form-check-input"
    elif widget_type in ("select", "selectmultiple", "nullbooleanselect"):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, str] = {"class": (field.field.widget.attrs.get("class", "") + " " + css).strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
