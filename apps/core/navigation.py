"""Organization navigation. Apps register their entries in ``AppConfig.ready()``; the base template
shows the ones the current member's roles allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    roles: tuple[str, ...]
    order: int = 100
    icon: str = ""


_ITEMS: dict[str, NavItem] = {}


def register(*, url_name: str, label: Any, roles: tuple[str, ...], order: int = 100, icon: str = "") -> None:
    _ITEMS[url_name] = NavItem(url_name=url_name, label=label, roles=tuple(roles), order=order, icon=icon)


def items_for(*, organization: Any, membership: Any, current_path: str) -> list[dict[str, Any]]:
    out = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, str(i.label))):
        if not membership.has_any_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name, kwargs={"org_slug": organization.slug})
        except NoReverseMatch:
            continue
        out.append({"url": url, "label": item.label, "icon": item.icon, "active": current_path.startswith(url)})
    # the dashboard URL is a prefix of everything: only active on exact match
    for entry in out:
        if entry["url"].rstrip("/").count("/") <= 2:
            entry["active"] = current_path == entry["url"]
    return out
