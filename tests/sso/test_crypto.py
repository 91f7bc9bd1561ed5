from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from apps.sso.crypto import SecretDecryptionError, decrypt_secret, encrypt_secret


def test_round_trip_and_randomised(settings: Any) -> None:
    settings.SSO_ENCRYPTION_KEY = ""
    a, b = encrypt_secret("hello"), encrypt_secret("hello")
    assert a != b and "hello" not in a
    assert decrypt_secret(a) == "hello" and encrypt_secret("") == "" and decrypt_secret("") == ""


def test_dedicated_key_and_rotation(settings: Any) -> None:
    settings.SSO_ENCRYPTION_KEY = ""
    old = encrypt_secret("before")  # under the SECRET_KEY-derived key
    settings.SSO_ENCRYPTION_KEY = Fernet.generate_key().decode()
    new = encrypt_secret("after")
    assert decrypt_secret(old) == "before"  # still readable after introducing a dedicated key
    assert decrypt_secret(new) == "after"
    settings.SECRET_KEY = "another-secret-key"
    settings.SECRET_KEY_FALLBACKS = ["test-only-not-secret"]
    assert decrypt_secret(old) == "before"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SecretDecryptionError):
        decrypt_secret(old)
    settings.SSO_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(SecretDecryptionError):
        decrypt_secret(new)


def test_bad_dedicated_key_is_a_configuration_error(settings: Any) -> None:
    settings.SSO_ENCRYPTION_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured):
        encrypt_secret("x")
