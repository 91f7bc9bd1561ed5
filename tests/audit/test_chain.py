from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record, compute_hash
from apps.core.permissions import AUDIT_READERS
from apps.core.tenancy import org_scope
from tests.generic import ApiCrudIsolationCase


def _verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def chain(org_a: Any, members_a: Any) -> list[AuditEvent]:
    with org_scope(org_a):
        return [
            audit_record(
                organization=org_a, actor=members_a["admin"], action="test.event", data={"n": i, "ru": "данные"}
            )
            for i in range(5)
        ]


def test_events_link_to_the_previous_hash(chain: list[AuditEvent]) -> None:
    assert chain[0].prev_hash == "0" * 64
    for prev, event in zip(chain, chain[1:], strict=False):
        assert event.prev_hash == prev.hash
        assert event.seq == prev.seq + 1
    with scopes_disabled():
        stored = AuditEvent.objects.get(pk=chain[2].pk)
    assert compute_hash(stored) == stored.hash  # survives the round trip through the database


def test_verify_passes_on_an_intact_chain(chain: list[AuditEvent], org_a: Any) -> None:
    code, out = _verify("--org", org_a.slug)
    assert code == 0
    assert f"OK org:{org_a.pk}: 5 links" in out


def test_application_cannot_update_or_delete(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), scopes_disabled():
        AuditEvent.objects.filter(pk=chain[1].pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic(), scopes_disabled():
        AuditEvent.objects.filter(pk=chain[1].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE audit_auditevent CASCADE")


@pytest.mark.django_db(transaction=True)
def test_tampering_as_superuser_is_detected_and_named(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        events = [audit_record(organization=org_a, actor=None, action="test.event", data={"n": i}) for i in range(4)]
    target = events[2]
    with connection.cursor() as cur:
        # the database superuser can bypass triggers; audit_verify must still notice
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', target.pk])
        cur.execute("SET session_replication_role = DEFAULT")
    code, out = _verify("--org", org_a.slug)
    assert code == 1
    assert f"id={target.pk} seq={target.seq}" in out
    assert "content does not match its hash" in out


@pytest.mark.django_db(transaction=True)
def test_deleting_the_tail_is_detected(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        events = [audit_record(organization=org_a, actor=None, action="test.event", data={"n": i}) for i in range(3)]
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
        cur.execute("SET session_replication_role = DEFAULT")
    code, out = _verify()
    assert code == 1
    assert "rows deleted" in out


@pytest.mark.django_db(transaction=True)
def test_deleting_a_middle_row_is_detected(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        events = [audit_record(organization=org_a, actor=None, action="test.event", data={"n": i}) for i in range(3)]
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        cur.execute("SET session_replication_role = DEFAULT")
    code, out = _verify("--org", org_a.slug)
    assert code == 1
    assert f"seq={events[2].seq}" in out


def test_chains_are_per_organization(org_a: Any, org_b: Any, members_a: Any, members_b: Any) -> None:
    with org_scope(org_a):
        a = audit_record(organization=org_a, actor=None, action="x.y")
    with org_scope(org_b):
        b = audit_record(organization=org_b, actor=None, action="x.y")
    assert a.chain != b.chain
    assert a.prev_hash != b.hash and b.prev_hash != a.hash


def test_unknown_org_is_a_clear_error(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no organization"):
        call_command("audit_verify", "--org", "nope")


class TestAuditEventApi(ApiCrudIsolationCase):
    basename = "audit-api:auditevent"
    model = AuditEvent
    read_roles = AUDIT_READERS
    write_roles = ()
    actions = ("list", "retrieve")
    audited = False

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return audit_record(organization=organization, actor=members["admin"], action="test.event")


def test_audit_api_filters(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    with org_scope(org_a):
        audit_record(organization=org_a, actor=members_a["admin"], action="membership.roles_changed")
        audit_record(organization=org_a, actor=members_a["viewer"], action="usecase.created")
    client = api_client_for(members_a["auditor"])
    url = f"/api/v1/orgs/{org_a.slug}/audit-events/"
    rows = client.get(url, {"action": "membership."}).json()["results"]
    assert [r["action"] for r in rows] == ["membership.roles_changed"]
    rows = client.get(url, {"actor": "viewer@"}).json()["results"]
    assert [r["action"] for r in rows] == ["usecase.created"]
    assert client.get(url, {"since": "not-a-date"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_nightly_verification_task_reports_breaks(org_a: Any, members_a: Any) -> None:
    from apps.audit.tasks import verify_audit_chains

    with org_scope(org_a):
        events = [audit_record(organization=org_a, actor=None, action="test.event", data={"n": i}) for i in range(2)]
    assert verify_audit_chains.delay().get()[f"org:{org_a.pk}"] == "ok"
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])
        cur.execute("SET session_replication_role = DEFAULT")
    assert "content does not match" in verify_audit_chains.delay().get()[f"org:{org_a.pk}"]
