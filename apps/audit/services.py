"""Writing audit events. Call ``audit_record`` inside the transaction that makes the change."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from apps.audit.context import get_request_context
from apps.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.organizations.models import Organization

GENESIS = "0" * 64


def chain_key(organization: Organization | None) -> str:
    return f"org:{organization.pk}" if organization is not None else "global"


def _canonical(value: Any) -> Any:
    """JSON-normalise (dates, decimals, UUIDs to strings) so the stored JSON hashes the same."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "chain": event.chain,
        "seq": event.seq,
        "organization": event.organization_id,
        "created_at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "data": event.data,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def audit_record(
    *,
    organization: Organization | None,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    target_label: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the organization's chain (``global`` when organization is None)."""
    ctx = get_request_context()
    key = chain_key(organization)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(chain=key)
        actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            organization=organization,
            chain=key,
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor_obj,
            actor_label=getattr(actor_obj, "email", "") if actor_obj else "",
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=(target_label if target_label is not None else str(target) if target is not None else "")[
                :300
            ],
            data=_canonical(data or {}),
            ip=ctx.ip,
            user_agent=ctx.user_agent[:300],
            request_id=ctx.request_id,
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"field": {"old": …, "new": …}}`` for the fields that changed."""
    before_c, after_c = _canonical(before), _canonical(after)
    return {
        k: {"old": before_c.get(k), "new": after_c.get(k)}
        for k in sorted(set(before_c) | set(after_c))
        if before_c.get(k) != after_c.get(k)
    }


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of a model instance, for before/after audit data."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if f.name not in ("id", "organization")]
    return _canonical({n: getattr(instance, n) for n in names})
