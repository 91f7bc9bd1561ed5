"""The audit API's date-time filters: any ISO 8601 offset is understood (converted to UTC before the
query), and an instant that cannot exist in UTC is a 400 naming the field, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from apps.audit.services import audit_record
from apps.core.tenancy import org_scope

pytestmark = pytest.mark.django_db


def _at(offset: str, instant: dt.datetime) -> str:
    """``instant`` written in the local time of a UTC offset such as ``-19:17``."""
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return instant.astimezone(zone).isoformat()


def test_offsets_postgres_cannot_store_are_converted_to_utc(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        audit_record(organization=org_a, actor=members_a["admin"], action="test.first", data={})
        audit_record(organization=org_a, actor=members_a["admin"], action="test.second", data={})
    now = dt.datetime.now(dt.UTC)
    url = reverse("audit-api:auditevent-list", kwargs={"org_slug": org_a.slug})
    client = api_client_for(members_a["auditor"])
    response = client.get(url, {"since": _at("-19:17", now + dt.timedelta(hours=1)), "action": "test."})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    response = client.get(url, {"since": _at("+14:43", now - dt.timedelta(hours=1)), "action": "test."})
    assert response.status_code == 200, response.content
    assert [e["action"] for e in response.json()["results"]] == ["test.second", "test.first"]
    response = client.get(url, {"until": _at("-19:17", now - dt.timedelta(hours=1)), "action": "test."})
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "not-a-date", "2026-13-01T00:00:00Z"])
def test_an_impossible_instant_is_a_400_naming_the_field(
    value: str, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
) -> None:
    url = reverse("audit-api:auditevent-list", kwargs={"org_slug": org_a.slug})
    response = api_client_for(members_a["auditor"]).get(url, {"until": value})
    assert response.status_code == 400, response.content
    assert "until" in response.json()["error"]["fields"]
