from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.audit.services import GENESIS, compute_hash


@dataclass
class ChainBreak:
    chain: str
    seq: int
    event_id: int
    reason: str


def audit_events_for_org(*, organization: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organization=organization).select_related("actor").order_by("-seq")


def audit_events_for_target(*, organization: Any, target_type: str, target_ids: list[Any]) -> QuerySet[AuditEvent]:
    """The history of one or more objects (``target_type`` is the model's ``app_label.modelname``)."""
    return (
        AuditEvent.objects.filter(
            organization=organization, target_type=target_type, target_id__in=[str(i) for i in target_ids]
        )
        .select_related("actor")
        .order_by("-seq")
    )


def audit_chain_verify(*, chain: str) -> tuple[int, ChainBreak | None]:
    """Walk one chain from its first link. Returns (links checked, first break or None)."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    with scopes_disabled():
        events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
        for event in events:
            checked += 1
            if event.seq != expected_seq:
                return checked, ChainBreak(chain, event.seq, event.pk, f"missing link before seq {event.seq}")
            if event.prev_hash != expected_prev:
                return checked, ChainBreak(chain, event.seq, event.pk, "previous hash does not match")
            if compute_hash(event) != event.hash:
                return checked, ChainBreak(chain, event.seq, event.pk, "content does not match its hash")
            expected_prev = event.hash
            expected_seq += 1
    return checked, None


def audit_chains(*, organization_id: int | None = None) -> list[str]:
    with scopes_disabled():
        qs = AuditEvent.objects.all()
        if organization_id is not None:
            qs = qs.filter(organization_id=organization_id)
        return sorted(set(qs.values_list("chain", flat=True)))
