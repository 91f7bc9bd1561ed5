"""A use case or registered model that a scorecard still needs is refused with a clear error, and
nothing is deleted or audited."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.registry.models import RegisteredModel
from apps.usecases.models import UseCase
from tests.scorecards.factories import CandidateFactory


def test_protected_objects_answer_400_and_stay(
    org_a: Any, members_a: Any, api_client_for: Any, client_for: Any
) -> None:
    with org_scope(org_a):
        candidate = CandidateFactory(organization=org_a)
        use_case, registered = candidate.scorecard.use_case, candidate.registered_model
    with scopes_disabled():
        events = AuditEvent.objects.exclude(action__startswith="auth.").count()
    api = api_client_for(members_a["contributor"])
    r = api.delete(reverse("usecases-api:usecase-detail", kwargs={"org_slug": org_a.slug, "pk": use_case.pk}))
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid", r.content
    r = api.delete(
        reverse("registry-api:registered-model-detail", kwargs={"org_slug": org_a.slug, "pk": registered.pk})
    )
    assert r.status_code == 400, r.content
    web = client_for(members_a["contributor"])
    r = web.post(reverse("usecases:delete", kwargs={"org_slug": org_a.slug, "pk": use_case.pk}), follow=True)
    assert r.status_code == 200 and "cannot be deleted" in r.content.decode()
    with scopes_disabled():
        assert UseCase.objects.filter(pk=use_case.pk).exists()
        assert RegisteredModel.objects.filter(pk=registered.pk).exists()
        assert AuditEvent.objects.exclude(action__startswith="auth.").count() == events
