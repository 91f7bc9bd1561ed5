from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.audit.models import AuditChainHead
from apps.audit.selectors import audit_chain_verify, audit_chains
from apps.organizations.models import Organization


class Command(BaseCommand):
    help = "Walk the audit hash chains and report the first broken link (exit code 1 on a break)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="only this organization's chain (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("org"):
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"no organization with slug {options['org']!r}")
            chains = [f"org:{org.pk}"]
        else:
            chains = sorted(set(audit_chains()) | set(AuditChainHead.objects.values_list("chain", flat=True)))
        broken = False
        for chain in chains:
            checked, brk = audit_chain_verify(chain=chain)
            head = AuditChainHead.objects.filter(chain=chain).first()
            if brk is None and head is not None and head.seq != checked:
                self.stdout.write(
                    f"BROKEN {chain}: the chain head says {head.seq} links but {checked} were found "
                    f"(rows deleted after seq {checked})"
                )
                broken = True
            elif brk is not None:
                self.stdout.write(f"BROKEN {chain}: event id={brk.event_id} seq={brk.seq}: {brk.reason}")
                broken = True
            else:
                self.stdout.write(f"OK {chain}: {checked} links")
        if broken:
            raise SystemExit(1)
