"""What an identity provider said about the user, read from allauth's ``SocialLogin``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.internal.emailkit import valid_email_or_none

from apps.sso.models import SsoConnection
from apps.sso.socialapps import DEFAULT_SAML_ATTRIBUTES, SAML_NAMEID_TRANSIENT

MAX_GROUPS = 500


@dataclass
class IdentityClaims:
    uid: str
    email: str = ""
    email_verified: bool = False
    full_name: str = ""
    groups: list[str] = field(default_factory=list)
    # SAML: the uid is a transient NameID (a new value at every sign-in), unusable as an identity key.
    transient_name_id: bool = False


def _lookup(data: dict[str, Any], path: str) -> Any:
    """A claim by name, or by dotted path into nested objects (Keycloak: ``realm_access.roles``)."""
    if path in data:
        return data[path]
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v)][:MAX_GROUPS]
    return [str(value)]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _first(attributes: dict[str, list[Any]], names: list[str]) -> str:
    for name in names:
        values = attributes.get(name)
        if values:
            return str(values[0])
    return ""


def extract(connection: SsoConnection, sociallogin: Any) -> IdentityClaims:
    account = sociallogin.account
    extra = account.extra_data or {}
    if connection.is_oidc:
        data: dict[str, Any] = {}
        if isinstance(extra.get("id_token"), dict):
            data.update(extra["id_token"])
        if isinstance(extra.get("userinfo"), dict):
            data.update(extra["userinfo"])
        if not data:
            data = dict(extra)
        name = str(data.get("name") or " ".join(str(p) for p in (data.get("given_name"), data.get("family_name")) if p))
        return IdentityClaims(
            uid=str(account.uid),
            email=(valid_email_or_none(data.get("email")) or "").lower(),
            email_verified=_bool(data.get("email_verified", False)),
            full_name=name.strip()[:200],
            groups=_as_list(_lookup(data, connection.groups_claim)) if connection.groups_claim else [],
        )
    attributes: dict[str, list[Any]] = {k: v if isinstance(v, list) else [v] for k, v in extra.items()}
    email_names = (
        [connection.saml_email_attribute] if connection.saml_email_attribute else DEFAULT_SAML_ATTRIBUTES["email"]
    )
    first = _first(
        attributes,
        [connection.saml_first_name_attribute]
        if connection.saml_first_name_attribute
        else DEFAULT_SAML_ATTRIBUTES["first_name"],
    )
    last = _first(
        attributes,
        [connection.saml_last_name_attribute]
        if connection.saml_last_name_attribute
        else DEFAULT_SAML_ATTRIBUTES["last_name"],
    )
    email = _first(attributes, email_names)
    if not email:
        # allauth falls back to an e-mail-format NameID; it is on the user it built.
        email = str(getattr(sociallogin.user, "email", "") or "")
    groups: list[str] = []
    if connection.groups_claim:
        for value in attributes.get(connection.groups_claim, []):
            groups.extend(_as_list(value) if not isinstance(value, str) else [value])
    # Recorded by apps.sso.saml_provider.CharterSAMLProvider while allauth read the response.
    provider = getattr(sociallogin, "provider", None)
    transient = bool(getattr(provider, "uid_from_name_id", False)) and (
        getattr(provider, "name_id_format", "") == SAML_NAMEID_TRANSIENT
    )
    return IdentityClaims(
        uid=str(account.uid),
        email=(valid_email_or_none(email) or "").lower(),
        email_verified=False,  # SAML has no standard for it; Charter relies on the verified domain
        full_name=f"{first} {last}".strip()[:200],
        groups=groups[:MAX_GROUPS],
        transient_name_id=transient,
    )
