"""Charter's SAML provider for django-allauth: allauth's own, plus what it does not tell the adapter.

The settings name it for the ``saml`` id (``SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]``, allauth's
documented hook), so it does not depend on the order of ``INSTALLED_APPS``; tests/sso/test_wiring.py
checks that it is the one in use. Its URLs (``package``) are allauth's, except the single logout service,
which is Charter's (:mod:`apps.sso.allauth_saml.urls`, same name and address).

allauth keys a SAML identity on the mapped ``uid`` attribute or, when there is none, on the NameID, but it
drops the NameID *format* before the adapter sees the login. A transient NameID changes at every
sign-in, so :func:`apps.sso.services.sso_login` must refuse it as an identity key: the provider
remembers, on itself (``sociallogin.provider`` is this instance), where the uid came from and the format.
It also remembers the NameID (with its qualifiers) and the SessionIndex, which single logout names in its
LogoutRequests (:mod:`apps.sso.saml_logout`).
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.saml.provider import SAMLProvider


class CharterSAMLProvider(SAMLProvider):
    package = "apps.sso.allauth_saml"

    # Set by extract_uid while allauth builds the SocialLogin from a validated response.
    uid_from_name_id: bool | None = None
    name_id_format: str | None = None
    name_id: str | None = None
    name_id_nq: str | None = None
    name_id_spnq: str | None = None
    session_index: str | None = None

    def extract_uid(self, data: Any) -> Any:
        uid = self._extract(data).get("uid")
        self.uid_from_name_id = uid is None
        self.name_id_format = str(data.get_nameid_format() or "")
        self.name_id = str(data.get_nameid() or "")
        self.name_id_nq = str(data.get_nameid_nq() or "")
        self.name_id_spnq = str(data.get_nameid_spnq() or "")
        self.session_index = str(data.get_session_index() or "")
        return super().extract_uid(data)
