"""Encryption at rest for SSO secrets (OIDC client secrets).

Fernet (AES-128-CBC + HMAC-SHA256). The key is ``SSO_ENCRYPTION_KEY`` (setting or environment variable,
a urlsafe-base64 Fernet key, see docs/sso.md) or, when that is not set, one derived from ``SECRET_KEY``
with HKDF-SHA256. Values encrypted under a key derived from one of ``SECRET_KEY_FALLBACKS`` (or the
SECRET_KEY-derived key after a dedicated key was introduced) still decrypt, so keys can be rotated;
re-saving a connection re-encrypts under the current key.
"""

from __future__ import annotations

import base64
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"charter.sso.secrets.v1"


class SecretDecryptionError(Exception):
    """The stored secret cannot be decrypted with any configured key (the key was changed)."""


def _derive(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"charter-sso", info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def _fernet() -> MultiFernet:
    keys: list[bytes] = []
    dedicated = getattr(settings, "SSO_ENCRYPTION_KEY", None) or os.environ.get("SSO_ENCRYPTION_KEY", "")
    if dedicated:
        try:
            Fernet(dedicated)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured("SSO_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64 bytes)") from exc
        keys.append(dedicated.encode() if isinstance(dedicated, str) else dedicated)
    if settings.SECRET_KEY:
        keys.append(_derive(settings.SECRET_KEY))
    keys.extend(_derive(old) for old in getattr(settings, "SECRET_KEY_FALLBACKS", []) or [])
    if not keys:
        raise ImproperlyConfigured("SSO secrets need SSO_ENCRYPTION_KEY or SECRET_KEY")
    return MultiFernet([Fernet(k) for k in keys])


def encrypt_secret(plaintext: str) -> str:
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretDecryptionError("the SSO secret cannot be decrypted with the configured keys") from exc
