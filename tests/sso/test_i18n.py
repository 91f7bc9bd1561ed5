from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.urls import reverse
from django.utils import translation

import apps.sso

CATALOG = Path(apps.sso.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def test_russian_catalog_is_complete() -> None:
    po = polib.pofile(str(CATALOG))
    assert len(po) > 200
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert CATALOG.with_suffix(".mo").exists()


def test_pages_speak_russian(org_a: Any, members_a: Any, client_for: Any) -> None:
    client = client_for(members_a["admin"])
    client.cookies["django_language"] = "ru"
    body = client.get(reverse("sso:index", kwargs={"org_slug": org_a.slug}), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Подключения" in body and "Политика входа" in body
    with translation.override("ru"):
        from apps.sso.services import REFUSALS

        assert "уже существует" in str(REFUSALS["email_conflict"]())
