"""The demo data: the full ``seed_demo`` command yields a complete scorecard that renders in both languages."""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from apps.accounts.models import User
from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.scorecards import selectors
from apps.scorecards.demo import SCORECARD_TITLE
from apps.scorecards.models import Scorecard


def test_demo_scorecard_pages_and_idempotence(db: Any, client: Any) -> None:
    """One test on purpose: seeding every app's demo takes several seconds."""
    call_command("seed_demo", stdout=io.StringIO())
    seeded = Organization.objects.get(slug="acme")
    check_scorecard(seeded)
    check_pages(seeded, client)
    with scopes_disabled():
        before = Scorecard.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        assert Scorecard.objects.count() == before


def check_scorecard(seeded: Organization) -> None:
    with org_scope(seeded):
        v1 = Scorecard.objects.get(title=SCORECARD_TITLE, version=1)
        v2 = Scorecard.objects.get(title=SCORECARD_TITLE, version=2)
        assert v1.is_frozen and not v2.is_frozen and v2.lineage == v1.lineage
        evaluation = selectors.scorecard_evaluate(organization=seeded, scorecard=v1)
    result = evaluation.result
    assert len(result.candidates) >= 5
    assert {c.kind for c in result.ranked} == {"proprietary_api", "open_weights"}
    reasons = {r.reason for c in result.excluded for r in c.failed_checks}
    assert "licence_forbids_commercial" in reasons
    assert reasons & {"policy_needs_dpa", "policy_forbids"}
    by_licence = [c for c in result.excluded if any(r.code == "commercial_use" for r in c.failed_checks)]
    by_policy = [c for c in result.excluded if any(r.code == "data_policy" for r in c.failed_checks)]
    assert by_licence and by_policy and {c.key for c in by_licence}.isdisjoint({c.key for c in by_policy})
    assert result.sensitivity.status.value == "stable" and result.sensitivity.smallest is not None


def check_pages(seeded: Organization, client: Any) -> None:
    with scopes_disabled():
        v1 = Scorecard.objects.get(organization=seeded, title=SCORECARD_TITLE, version=1)
    client.force_login(User.objects.get(email="viewer@acme.example"))
    url = reverse("scorecards:detail", kwargs={"org_slug": "acme", "pk": v1.pk})
    english = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert "ranks first with" in english and "Excluded (a hard constraint is violated)" in english
    with translation.override("ru"):
        client.cookies["django_language"] = "ru"
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    russian = re.sub(r"\s+", " ", r.content.decode())
    assert r.status_code == 200
    assert "Рейтинг" in russian and "Чувствительность" in russian
    assert "занимает первое место" in russian
    assert "Исключены (нарушено жёсткое ограничение)" in russian
    assert "Коммерческое использование предполагается, но лицензия его не разрешает." in russian
    assert "Оценки факторов по кандидатам" in russian  # the radar chart's title
    assert russian.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    # no English sentence of ours left on the Russian page
    for english_only in (
        "ranks first with",
        "Excluded (a hard constraint",
        "Factor scores per candidate",
        "Where the data goes",
        "Monthly cost for this use case",
    ):
        assert english_only not in russian
