"""Reading SAML IdP metadata and certificates (python3-saml's parser: DTDs and entities forbidden)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.utils import timezone
from django.utils.translation import gettext as _
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML


class MetadataError(Exception):
    """The metadata or certificate is unusable; ``str(exc)`` is a sentence for the admin."""


@dataclass
class IdpMetadata:
    entity_id: str
    sso_url: str
    slo_url: str = ""  # <SingleLogoutService> with the HTTP-Redirect binding; "" when the IdP has none
    certificates: list[str] = field(default_factory=list)  # base64 DER, signing certificates first
    name_id_formats: list[str] = field(default_factory=list)  # the IdP's <NameIDFormat>s, in order
    wants_signed_requests: bool = False  # WantAuthnRequestsSigned="true"

    @property
    def certificate(self) -> str:
        return self.certificates[0] if self.certificates else ""


def parse_idp_metadata(xml: str | bytes, *, entity_id: str = "") -> IdpMetadata:
    try:
        data = OneLogin_Saml2_IdPMetadataParser.parse(
            xml,
            required_sso_binding=OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            required_slo_binding=OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            entity_id=entity_id or None,
        )
    except Exception as exc:  # lxml / defused XML errors of any kind
        raise MetadataError(_("The metadata is not valid SAML metadata XML.")) from exc
    idp = data.get("idp") or {}
    found_entity = idp.get("entityId") or ""
    if not found_entity:
        if entity_id:
            raise MetadataError(_("The metadata has no identity provider with entity ID %(id)s.") % {"id": entity_id})
        raise MetadataError(_("The metadata describes no identity provider (IDPSSODescriptor)."))
    sso_url = (idp.get("singleSignOnService") or {}).get("url") or ""
    if not sso_url:
        raise MetadataError(_("The metadata has no single sign-on endpoint with the HTTP-Redirect binding."))
    slo_url = (idp.get("singleLogoutService") or {}).get("url") or ""
    certs: list[str] = []
    if idp.get("x509cert"):
        certs.append(idp["x509cert"])
    multi = idp.get("x509certMulti") or {}
    for cert in multi.get("signing", []):
        if cert not in certs:
            certs.append(cert)
    if not certs:
        raise MetadataError(_("The metadata contains no signing certificate."))
    name_id_formats, wants_signed = _idp_descriptor_details(xml, found_entity)
    return IdpMetadata(
        entity_id=found_entity,
        sso_url=sso_url,
        slo_url=slo_url,
        certificates=[normalize_certificate(c) for c in certs],
        name_id_formats=name_id_formats,
        wants_signed_requests=wants_signed,
    )


def _idp_descriptor_details(xml: str | bytes, entity_id: str) -> tuple[list[str], bool]:
    """NameID formats and WantAuthnRequestsSigned of the IdP entity (python3-saml keeps only the first
    format). Same hardened parser (no DTD, no entities); the document already parsed once."""
    try:
        dom = OneLogin_Saml2_XML.to_etree(xml)
    except Exception:  # already reported by parse_idp_metadata if it were broken
        return [], False
    for descriptor in OneLogin_Saml2_XML.query(dom, "//md:EntityDescriptor/md:IDPSSODescriptor"):
        if descriptor.getparent().get("entityID") != entity_id:
            continue
        formats = [
            (OneLogin_Saml2_XML.element_text(node) or "").strip()
            for node in OneLogin_Saml2_XML.query(descriptor, "./md:NameIDFormat")
        ]
        wants = (descriptor.get("WantAuthnRequestsSigned") or "").strip().lower() in ("true", "1")
        return [f for f in formats if f], wants
    return [], False


def normalize_certificate(text: str) -> str:
    """PEM or bare base64 → bare base64 DER on one line (as python3-saml wants it); validated."""
    body = "".join(
        line.strip() for line in (text or "").strip().splitlines() if line.strip() and not line.startswith("-----")
    )
    body = "".join(body.split())
    try:
        der = base64.b64decode(body, validate=True)
        x509.load_der_x509_certificate(der)
    except Exception as exc:  # binascii.Error, ValueError
        raise MetadataError(_("The certificate is not a valid X.509 certificate (PEM or base64).")) from exc
    return body


@dataclass
class CertificateInfo:
    subject: str
    not_after: dt.datetime
    signature_hash: str

    @property
    def expired(self) -> bool:
        return self.not_after <= timezone.now()

    @property
    def expires_soon(self) -> bool:
        return self.not_after <= timezone.now() + dt.timedelta(days=30)


def certificate_info(cert_b64: str) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(base64.b64decode(normalize_certificate(cert_b64)))
    algorithm = cert.signature_hash_algorithm
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        signature_hash=algorithm.name if isinstance(algorithm, hashes.HashAlgorithm) else "unknown",
    )
