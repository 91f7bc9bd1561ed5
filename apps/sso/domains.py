"""Domain names: normalising what an admin types, and the DNS TXT ownership check (dnspython)."""

from __future__ import annotations

import re

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VERIFICATION_LOCAL_PARTS = ("admin", "administrator", "hostmaster", "postmaster", "webmaster")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """``" Mail.Example.COM. "`` → ``"mail.example.com"``; IDNs in their ASCII (punycode) form."""
    domain = (value or "").strip().lower().rstrip(".")
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(_("Enter a valid domain name, e.g. example.com."), code="invalid") from exc
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise ValidationError(_("Enter a valid domain name, e.g. example.com."), code="invalid")
    return domain


def email_domain(email: str) -> str:
    _local, _at, domain = (email or "").strip().rpartition("@")
    if not _at or not _local:
        return ""
    try:
        return normalize_domain(domain)
    except ValidationError:
        return ""


def _resolver() -> dns.resolver.Resolver:
    """The system resolver, or the name servers in ``SSO_DNS_NAMESERVERS`` (``["10.0.0.53", "127.0.0.1:5353"]``)."""
    servers = getattr(settings, "SSO_DNS_NAMESERVERS", None)
    if not servers:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        nameservers: list[str] = []
        for entry in servers:
            host, _sep, port = str(entry).rpartition(":") if str(entry).count(":") == 1 else (str(entry), "", "")
            nameservers.append(host)
            if port:
                resolver.port = int(port)
        resolver.nameservers = nameservers
    resolver.lifetime = float(getattr(settings, "SSO_DNS_TIMEOUT", 5.0))
    return resolver


def txt_records(domain: str) -> list[str]:
    """The TXT strings at ``domain``; raises ValidationError with a plain explanation."""
    try:
        answer = _resolver().resolve(dns.name.from_text(domain), "TXT", raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN as exc:
        raise ValidationError(_("The domain %(domain)s does not exist in DNS.") % {"domain": domain}) from exc
    except (dns.resolver.LifetimeTimeout, dns.exception.Timeout) as exc:
        raise ValidationError(_("The DNS servers did not answer in time; try again later.")) from exc
    except (dns.resolver.NoNameservers, dns.exception.DNSException) as exc:
        raise ValidationError(_("The DNS lookup for %(domain)s failed; try again later.") % {"domain": domain}) from exc
    records: list[str] = []
    for rdata in answer.rrset or []:
        records.append(b"".join(rdata.strings).decode("utf-8", "replace"))
    return records
