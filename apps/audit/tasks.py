from __future__ import annotations

import logging

from celery import shared_task

from apps.audit.models import AuditChainHead
from apps.audit.selectors import audit_chain_verify, audit_chains

logger = logging.getLogger("charter.audit")


@shared_task
def verify_audit_chains() -> dict[str, str]:
    """Nightly: walk every chain; a break is logged at ERROR (alert on it) and returned."""
    result: dict[str, str] = {}
    heads = dict(AuditChainHead.objects.values_list("chain", "seq"))
    for chain in sorted(set(audit_chains()) | set(heads)):
        checked, brk = audit_chain_verify(chain=chain)
        if brk is not None:
            result[chain] = f"event id={brk.event_id} seq={brk.seq}: {brk.reason}"
        elif heads.get(chain, checked) != checked:
            result[chain] = f"rows deleted after seq {checked}"
        else:
            result[chain] = "ok"
        if result[chain] != "ok":
            logger.error("audit chain %s is broken: %s", chain, result[chain])
    return result
