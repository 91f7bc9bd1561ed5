"""Charter's own SAML service-provider key pair, one per connection, for signing AuthnRequests.

Generated with ``cryptography`` the first time a connection turns on "Sign authentication requests":
RSA 2048, a self-signed certificate valid for ten years whose CN is the host of the SP entity ID. The
certificate (public) is published in the SP metadata; the private key is stored Fernet-encrypted
(:mod:`apps.sso.crypto`, like OIDC client secrets) and only decrypted onto the in-memory SocialApp that
allauth uses for one request (:func:`apps.sso.socialapps.runtime_settings`). It never appears in the UI,
the API, the SocialApp row or audit data.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from apps.sso.crypto import encrypt_secret

KEY_SIZE = 2048
VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class SpKeyPair:
    certificate: str  # base64 DER on one line, as python3-saml and SAML metadata carry it
    private_key_pem: str  # PKCS#8 PEM, unencrypted: encrypt before storing


def common_name_for(sp_entity_id: str) -> str:
    return (urlsplit(sp_entity_id).hostname or "charter")[:64]


def generate_sp_key_pair(sp_entity_id: str) -> SpKeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name_for(sp_entity_id))])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return SpKeyPair(
        certificate=base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(),
        private_key_pem=pem.decode(),
    )


def new_encrypted_sp_key_pair(sp_entity_id: str) -> tuple[str, str]:
    """(certificate, Fernet token of the private key) ready to store on a connection."""
    pair = generate_sp_key_pair(sp_entity_id)
    return pair.certificate, encrypt_secret(pair.private_key_pem)


def certificate_fingerprint(certificate: str) -> str:
    """SHA-256 of the DER certificate, hex with colons (what IdP consoles show); "" when there is none."""
    if not certificate:
        return ""
    digest = hashlib.sha256(base64.b64decode(certificate)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
