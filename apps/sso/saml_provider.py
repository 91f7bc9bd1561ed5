"""Charter's SAML provider for django-allauth: allauth's own, plus what it does not tell the adapter.

The settings name it for the ``saml`` id (``SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]``, allauth's
documented hook), so it does not depend on the order of ``INSTALLED_APPS``; tests/sso/test_wiring.py
checks that it is the one in use. Its URLs are still allauth's (``package``).

allauth keys a SAML identity on the mapped ``uid`` attribute or, when there is none, on the NameID, but it
drops the NameID *format* before the adapter sees the login. A transient NameID changes at every
sign-in, so :func:`apps.sso.services.sso_login` must refuse it as an identity key: the provider
remembers, on itself (``sociallogin.provider`` is this instance), where the uid came from and the format.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.saml.provider import SAMLProvider


class CharterSAMLProvider(SAMLProvider):
    package = "allauth.socialaccount.providers.saml"

    # Set by extract_uid while allauth builds the SocialLogin from a validated response.
    uid_from_name_id: bool | None = None
    name_id_format: str | None = None

    def extract_uid(self, data: Any) -> Any:
        uid = self._extract(data).get("uid")
        self.uid_from_name_id = uid is None
        self.name_id_format = str(data.get_nameid_format() or "")
        return super().extract_uid(data)
