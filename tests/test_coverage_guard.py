"""Fails when a tenant URL pattern or an OrganizationOwned model has no isolation test.

Tenant routes are the URL patterns that take ``org_slug``. A page route is covered when some
PageIsolationCase lists it in ``pages``; an API route when an ApiCrudIsolationCase declares its
basename (covering ``<basename>-list`` and ``<basename>-detail``) or lists it in
``extra_url_names``. A model is covered when an ApiCrudIsolationCase declares it as ``model`` or
any case lists it in ``covered_models``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from apps.core.tenancy import tenant_models
from tests.generic import ApiCrudIsolationCase, PageIsolationCase


def _import_all_test_modules() -> None:
    for mod in pkgutil.walk_packages(tests.__path__, prefix="tests."):
        leaf = mod.name.rsplit(".", 1)[-1]
        if leaf.startswith("test_") and mod.name != __name__:
            importlib.import_module(mod.name)


def _subclasses(base: type) -> list[type]:
    out, stack = [], [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            out.append(sub)
            stack.append(sub)
    return out


def _tenant_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str, route: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, route + str(p.pattern))
            elif isinstance(p, URLPattern):
                full = route + str(p.pattern)
                if "org_slug" in full and p.name:
                    names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def _covered() -> tuple[set[str], set[Any]]:
    _import_all_test_modules()
    urls: set[str] = set()
    models: set[Any] = set()
    for case in _subclasses(ApiCrudIsolationCase):
        if case.basename:
            urls |= {f"{case.basename}-list", f"{case.basename}-detail"}
        if case.model is not None:
            models.add(case.model)
    for case in _subclasses(PageIsolationCase):
        urls |= {p.url_name for p in case.pages}
    for case in _subclasses(ApiCrudIsolationCase) + _subclasses(PageIsolationCase):
        urls |= set(getattr(case, "extra_url_names", ()))
        models |= set(getattr(case, "covered_models", ()))
    return urls, models


def test_every_tenant_url_has_an_isolation_test() -> None:
    covered, _ = _covered()
    missing = sorted(_tenant_url_names() - covered)
    assert not missing, f"tenant URL patterns without an isolation test: {missing}"


def test_every_tenant_model_has_an_isolation_test() -> None:
    _, covered = _covered()
    missing = sorted(m._meta.label for m in tenant_models() if m not in covered)
    assert not missing, f"OrganizationOwned models without an isolation test: {missing}"


def test_the_guard_sees_routes_and_models() -> None:
    # the guard would pass vacuously if it found nothing to check
    names = _tenant_url_names()
    assert "org_dashboard" in names and "organizations-api:membership-list" in names
    assert any(m._meta.label == "organizations.Membership" for m in tenant_models())
