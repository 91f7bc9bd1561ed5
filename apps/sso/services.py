"""State changes of SSO connections, domains, policies, and what a single sign-on does to accounts
and memberships. Every function validates with ``full_clean()`` before saving and writes its audit event
in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from apps.accounts.models import User
from apps.audit.services import audit_record, diff, snapshot
from apps.core.tenancy import org_scope
from apps.organizations.models import Membership, Organization, Role
from apps.sso import diagnostics
from apps.sso.claims import IdentityClaims
from apps.sso.crypto import encrypt_secret
from apps.sso.domains import VERIFICATION_LOCAL_PARTS, email_domain, normalize_domain, txt_records
from apps.sso.fetch import FetchError, fetch
from apps.sso.models import Protocol, SsoConnection, SsoDomain, SsoPolicy
from apps.sso.saml_metadata import MetadataError, normalize_certificate, parse_idp_metadata
from apps.sso.socialapps import SAML_NAMEID_TRANSIENT, is_complete, saml_sp_entity_id, sync_social_app
from apps.sso.sp_keys import certificate_fingerprint, new_encrypted_sp_key_pair

EMAIL_CHALLENGE_TTL = timedelta(hours=24)
EMAIL_RESEND_INTERVAL = timedelta(minutes=5)  # no mail-bombing of a domain's hostmaster

# Fields an admin may set (forms and the API pass these through to the services).
COMMON_FIELDS = ("name", "is_enabled", "jit_provisioning", "default_role", "groups_claim", "group_role_map")
OIDC_FIELDS = ("oidc_issuer", "oidc_client_id", "oidc_scopes", "oidc_pkce", "oidc_token_auth_method")
SAML_FIELDS = (
    "saml_metadata_url",
    "saml_metadata_xml",
    "saml_idp_entity_id",
    "saml_idp_sso_url",
    "saml_idp_slo_url",
    "saml_idp_certificate",
    "saml_uid_attribute",
    "saml_email_attribute",
    "saml_first_name_attribute",
    "saml_last_name_attribute",
    "saml_allow_idp_initiated",
    "saml_sign_requests",
)
AUDITED_FIELDS = ["name", "protocol", "key", "is_enabled", *COMMON_FIELDS[2:], *OIDC_FIELDS, *SAML_FIELDS]
AUDITED_FIELDS.remove("saml_metadata_xml")  # large; its effect shows in entity id / URL / certificate
MAX_GROUP_MAPPINGS = 200


# -- connections ---------------------------------------------------------------------------------
def _clean_group_role_map(value: Any) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError({"group_role_map": _("Give a list of {group, role} pairs.")}, code="invalid")
    if len(value) > MAX_GROUP_MAPPINGS:
        raise ValidationError({"group_role_map": _("At most %(n)s mappings.") % {"n": MAX_GROUP_MAPPINGS}})
    rows: list[dict[str, str]] = []
    for row in value:
        if not isinstance(row, dict):
            raise ValidationError({"group_role_map": _("Each mapping needs a group and a role.")}, code="invalid")
        group = str(row.get("group", "")).strip()
        role = str(row.get("role", "")).strip()
        if not group or len(group) > 255:
            raise ValidationError({"group_role_map": _("Each mapping needs a group name (at most 255 characters).")})
        if role not in Role.values:
            raise ValidationError(
                {"group_role_map": _("Unknown role “%(role)s” for group “%(group)s”.") % {"role": role, "group": group}}
            )
        if {"group": group, "role": role} not in rows:
            rows.append({"group": group, "role": role})
    return rows


def _apply_saml_source(connection: SsoConnection, *, refresh: bool) -> None:
    """Fill entity id / SSO URL / single logout URL / certificate from the metadata URL or XML, when one is
    given."""
    metadata = None
    if connection.saml_metadata_url and refresh:
        try:
            body = fetch(connection.saml_metadata_url, accept="application/samlmetadata+xml, application/xml").body
        except FetchError as exc:
            raise ValidationError({"saml_metadata_url": str(exc)}, code="fetch_failed") from exc
        try:
            metadata = parse_idp_metadata(body, entity_id=connection.saml_idp_entity_id)
        except MetadataError as exc:
            raise ValidationError({"saml_metadata_url": str(exc)}, code="invalid_metadata") from exc
    elif connection.saml_metadata_xml.strip() and refresh:
        try:
            metadata = parse_idp_metadata(connection.saml_metadata_xml, entity_id=connection.saml_idp_entity_id)
        except MetadataError as exc:
            raise ValidationError({"saml_metadata_xml": str(exc)}, code="invalid_metadata") from exc
    if metadata is not None:
        connection.saml_idp_entity_id = metadata.entity_id
        connection.saml_idp_sso_url = metadata.sso_url
        connection.saml_idp_slo_url = metadata.slo_url
        connection.saml_idp_certificate = metadata.certificate
    elif connection.saml_idp_certificate:
        try:
            connection.saml_idp_certificate = normalize_certificate(connection.saml_idp_certificate)
        except MetadataError as exc:
            raise ValidationError({"saml_idp_certificate": str(exc)}, code="invalid") from exc


def _validate_connection(connection: SsoConnection) -> None:
    errors: dict[str, list[str]] = {}
    if connection.is_enabled and not is_complete(connection):
        if connection.is_oidc:
            for name in ("oidc_issuer", "oidc_client_id"):
                if not getattr(connection, name):
                    errors.setdefault(name, []).append(_("Required to enable the connection."))
        else:
            for name in ("saml_idp_entity_id", "saml_idp_sso_url", "saml_idp_certificate"):
                if not getattr(connection, name):
                    errors.setdefault(name, []).append(
                        _("Required to enable the connection (or give the IdP metadata).")
                    )
    if connection.is_oidc and connection.oidc_scopes and "openid" not in connection.oidc_scopes.split():
        errors.setdefault("oidc_scopes", []).append(_("The scopes must include “openid”."))
    if errors:
        raise ValidationError(errors)


def _assign(connection: SsoConnection, fields: dict[str, Any]) -> None:
    allowed = set(COMMON_FIELDS) | set(OIDC_FIELDS if connection.is_oidc else SAML_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {name: _("This field does not apply to this kind of connection.") for name in sorted(unknown)},
            code="invalid",
        )
    for name, value in fields.items():
        if name == "group_role_map":
            value = _clean_group_role_map(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(connection, name, "" if value is None and name not in ("is_enabled",) else value)


def _connection_snapshot(connection: SsoConnection) -> dict[str, Any]:
    data = snapshot(connection, AUDITED_FIELDS)
    data["client_secret_set"] = connection.has_client_secret
    if connection.is_saml:
        # The certificate's fingerprint shows a (re)generated key pair; the private key is never audited.
        data["sp_certificate_sha256"] = certificate_fingerprint(connection.saml_sp_certificate)
    return data


def _ensure_sp_key_pair(connection: SsoConnection) -> None:
    """Generate the connection's SP signing key pair the first time request signing is turned on. It is
    kept when signing is turned off, so that turning it on again needs no new registration at the IdP."""
    if connection.is_saml and connection.saml_sign_requests and not connection.has_sp_key_pair:
        certificate, encrypted_key = new_encrypted_sp_key_pair(saml_sp_entity_id(connection.provider_id))
        connection.saml_sp_certificate = certificate
        connection.saml_sp_private_key = encrypted_key


def _save_connection(connection: SsoConnection) -> None:
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError as exc:
        raise ValidationError({"key": _("This key is already in use; choose another.")}, code="unique") from exc


@transaction.atomic
def connection_create(
    *,
    organization: Organization,
    actor: Any,
    protocol: str,
    name: str,
    key: str,
    client_secret: str | None = None,
    **fields: Any,
) -> SsoConnection:
    if protocol not in Protocol.values:
        raise ValidationError({"protocol": _("Choose OpenID Connect or SAML 2.0.")}, code="invalid")
    key = (key or "").strip().lower()
    connection = SsoConnection(organization=organization, protocol=protocol, name=(name or "").strip(), key=key)
    connection.provider_id = f"{organization.slug}-{key}"
    _assign(connection, fields)
    if client_secret:
        if not connection.is_oidc:
            raise ValidationError({"client_secret": _("Only OpenID Connect connections have a client secret.")})
        connection.oidc_client_secret = encrypt_secret(client_secret.strip())
    if connection.is_saml:
        _apply_saml_source(connection, refresh=True)
        _ensure_sp_key_pair(connection)
    connection.full_clean()
    _validate_connection(connection)
    if SsoConnection.objects.filter(organization=organization, key=key).exists():
        raise ValidationError({"key": _("This key is already in use; choose another.")}, code="unique")
    _save_connection(connection)
    sync_social_app(connection)
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.connection.created",
        target=connection,
        data=_connection_snapshot(connection),
    )
    return connection


def _ensure_policy_still_satisfied(organization: Organization, *, without: SsoConnection) -> None:
    policy = SsoPolicy.objects.filter(organization=organization).first()
    if policy is None or not policy.sso_required:
        return
    others = SsoConnection.objects.filter(organization=organization, is_enabled=True).exclude(pk=without.pk)
    if not others.exists():
        raise ValidationError(
            _(
                "Single sign-on is required in this organization: keep at least one enabled connection, "
                "or turn the requirement off first."
            ),
            code="last_connection",
        )


@transaction.atomic
def connection_update(
    *,
    organization: Organization,
    actor: Any,
    connection: SsoConnection,
    client_secret: str | None = None,
    refresh_metadata: bool = False,
    **fields: Any,
) -> SsoConnection:
    connection = SsoConnection.objects.select_for_update().get(pk=connection.pk, organization=organization)
    for immutable in ("protocol", "key"):
        if immutable in fields and fields.pop(immutable) != getattr(connection, immutable):
            raise ValidationError({immutable: _("This cannot be changed; create a new connection instead.")})
    before = _connection_snapshot(connection)
    was_enabled = connection.is_enabled
    source_before = (connection.saml_metadata_url, connection.saml_metadata_xml)
    _assign(connection, fields)
    if client_secret:
        if not connection.is_oidc:
            raise ValidationError({"client_secret": _("Only OpenID Connect connections have a client secret.")})
        connection.oidc_client_secret = encrypt_secret(client_secret.strip())
    if connection.is_saml:
        changed_source = source_before != (connection.saml_metadata_url, connection.saml_metadata_xml)
        _apply_saml_source(connection, refresh=refresh_metadata or changed_source)
        _ensure_sp_key_pair(connection)
    if was_enabled and not connection.is_enabled:
        _ensure_policy_still_satisfied(organization, without=connection)
    connection.full_clean()
    _validate_connection(connection)
    _save_connection(connection)
    sync_social_app(connection)
    after = _connection_snapshot(connection)
    changes = diff(before, after)
    if client_secret:
        changes["client_secret"] = {"old": "***", "new": "***"}
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.connection.updated",
            target=connection,
            data={"changes": changes},
        )
    return connection


@transaction.atomic
def connection_delete(*, organization: Organization, actor: Any, connection: SsoConnection) -> None:
    connection = SsoConnection.objects.select_for_update().get(pk=connection.pk, organization=organization)
    if connection.is_enabled:
        _ensure_policy_still_satisfied(organization, without=connection)
    label, provider_id, pk = connection.name, connection.provider_id, connection.pk
    # The identities (IdP subject → user) made through this connection go with it, so that a later
    # connection can never inherit them.
    identities, _details = SocialAccount.objects.filter(provider=provider_id).delete()
    app = connection.social_app
    connection.delete()
    if app is not None:
        app.delete()
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.connection.deleted",
        target_label=label,
        data={"id": pk, "provider_id": provider_id, "identities_removed": identities},
    )


@transaction.atomic
def connection_test(*, organization: Organization, actor: Any, connection: SsoConnection) -> diagnostics.Report:
    connection = SsoConnection.objects.select_for_update().get(pk=connection.pk, organization=organization)
    report = diagnostics.run(connection)
    connection.last_tested_at = timezone.now()
    connection.last_test_ok = report.ok
    connection.save(update_fields=["last_tested_at", "last_test_ok", "updated_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.connection.tested",
        target=connection,
        data=report.as_dict(),
    )
    return report


@transaction.atomic
def connection_refresh_saml_metadata(*, organization: Organization, actor: Any, connection: SsoConnection) -> bool:
    """Re-read a SAML connection's metadata URL (certificate rollover); True when something changed."""
    connection = SsoConnection.objects.select_for_update().get(pk=connection.pk, organization=organization)
    if not connection.is_saml or not connection.saml_metadata_url:
        return False
    before = _connection_snapshot(connection)
    _apply_saml_source(connection, refresh=True)
    connection.full_clean()
    changes = diff(before, _connection_snapshot(connection))
    if not changes:
        return False
    connection.save()
    sync_social_app(connection)
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.connection.metadata_refreshed",
        target=connection,
        data={"changes": changes},
    )
    return True


# -- domains -------------------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _verified_elsewhere(domain: str, organization: Organization) -> bool:
    with scopes_disabled():  # a verified domain is global by design: one organization routes its logins
        return (
            SsoDomain.objects.filter(domain=domain, status=SsoDomain.Status.VERIFIED)
            .exclude(organization=organization)
            .exists()
        )


@transaction.atomic
def domain_add(*, organization: Organization, actor: Any, domain: str) -> SsoDomain:
    try:
        name = normalize_domain(domain)
    except ValidationError as exc:
        raise ValidationError({"domain": exc.messages}, code="invalid") from exc
    if SsoDomain.objects.filter(organization=organization, domain=name).exists():
        raise ValidationError({"domain": _("This domain is already listed.")}, code="unique")
    if _verified_elsewhere(name, organization):
        raise ValidationError({"domain": _("Another organization has already verified this domain.")}, code="taken")
    obj = SsoDomain(organization=organization, domain=name, created_by=actor)
    obj.full_clean()
    obj.save()
    audit_record(organization=organization, actor=actor, action="sso.domain.added", target=obj, data={"domain": name})
    return obj


def _mark_verified(obj: SsoDomain, *, method: str) -> None:
    if _verified_elsewhere(obj.domain, obj.organization):
        raise ValidationError(_("Another organization has already verified this domain."), code="taken")
    obj.status = SsoDomain.Status.VERIFIED
    obj.method = method
    obj.verified_at = timezone.now()
    obj.email_token_hash = ""
    obj.email_token_expires_at = None
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(_("Another organization has already verified this domain."), code="taken") from exc


def domain_verify_dns(*, organization: Organization, actor: Any, domain: SsoDomain) -> SsoDomain:
    """Look for ``charter-verification=<token>`` in the domain's TXT records. A failed check is
    audited (and committed) before the ValidationError is raised."""
    obj = SsoDomain.objects.get(pk=domain.pk, organization=organization)
    if obj.is_verified:
        return obj
    reason = ""
    try:
        records = txt_records(obj.domain)  # network: outside any lock
    except ValidationError as exc:
        error, reason = exc, exc.messages[0]
    else:
        if obj.txt_record not in records:
            reason = "record_missing"
            error = ValidationError(
                _("No TXT record “%(record)s” was found at %(domain)s. DNS changes can take a while to appear.")
                % {"record": obj.txt_record, "domain": obj.domain},
                code="record_missing",
            )
    with transaction.atomic():
        if reason:
            audit_record(
                organization=organization,
                actor=actor,
                action="sso.domain.verification_failed",
                target=obj,
                data={"method": "dns", "reason": reason},
            )
        else:
            obj = SsoDomain.objects.select_for_update().get(pk=domain.pk, organization=organization)
            _mark_verified(obj, method=SsoDomain.Method.DNS)
            audit_record(
                organization=organization,
                actor=actor,
                action="sso.domain.verified",
                target=obj,
                data={"domain": obj.domain, "method": "dns"},
            )
    if reason:
        raise error
    return obj


@transaction.atomic
def domain_send_verification_email(
    *, organization: Organization, actor: Any, domain: SsoDomain, local_part: str
) -> SsoDomain:
    obj = SsoDomain.objects.select_for_update().get(pk=domain.pk, organization=organization)
    if obj.is_verified:
        raise ValidationError(_("This domain is already verified."), code="verified")
    if local_part not in VERIFICATION_LOCAL_PARTS:
        raise ValidationError(
            {"local_part": _("Choose one of: %(names)s.") % {"names": ", ".join(VERIFICATION_LOCAL_PARTS)}},
            code="invalid",
        )
    if obj.email_token_expires_at is not None and (
        obj.email_token_expires_at - EMAIL_CHALLENGE_TTL > timezone.now() - EMAIL_RESEND_INTERVAL
    ):
        raise ValidationError(
            {
                "local_part": _("A link was sent less than %(minutes)s minutes ago; check that mailbox first.")
                % {"minutes": int(EMAIL_RESEND_INTERVAL.total_seconds() // 60)}
            },
            code="throttled",
        )
    token = secrets.token_urlsafe(32)
    obj.email_address = f"{local_part}@{obj.domain}"
    obj.email_token_hash = _hash(token)
    obj.email_token_expires_at = timezone.now() + EMAIL_CHALLENGE_TTL
    obj.full_clean()
    obj.save()
    link = settings.SITE_URL.rstrip("/") + reverse("sso_public:domain_confirm", kwargs={"token": token})
    context = {
        "organization": organization,
        "domain": obj.domain,
        "link": link,
        "requested_by": getattr(actor, "email", ""),
        "hours": int(EMAIL_CHALLENGE_TTL.total_seconds() // 3600),
    }
    subject = render_to_string("sso/email/domain_verification_subject.txt", context).strip()
    body = render_to_string("sso/email/domain_verification_message.txt", context)
    recipient = obj.email_address
    language = translation.get_language()

    def _send() -> None:
        with translation.override(language):
            send_mail(subject, body, None, [recipient])

    transaction.on_commit(_send)
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.domain.verification_sent",
        target=obj,
        data={"domain": obj.domain, "address": recipient},
    )
    return obj


def domain_for_email_token(token: str) -> SsoDomain | None:
    with scopes_disabled():  # the link is opened without an organization in the URL
        return SsoDomain.objects.select_related("organization").filter(email_token_hash=_hash(token or "")).first()


@transaction.atomic
def domain_confirm_email(*, organization: Organization, actor: Any, domain: SsoDomain, token: str) -> SsoDomain:
    with org_scope(organization):
        obj = SsoDomain.objects.select_for_update().get(pk=domain.pk, organization=organization)
        if not obj.email_token_hash or not secrets.compare_digest(obj.email_token_hash, _hash(token)):
            raise ValidationError(_("This verification link is not valid."), code="invalid")
        if obj.email_token_expires_at is None or obj.email_token_expires_at <= timezone.now():
            raise ValidationError(_("This verification link has expired; ask for a new one."), code="expired")
        address = obj.email_address
        _mark_verified(obj, method=SsoDomain.Method.EMAIL)
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.domain.verified",
            target=obj,
            data={"domain": obj.domain, "method": "email", "address": address},
        )
        return obj


@transaction.atomic
def domain_delete(*, organization: Organization, actor: Any, domain: SsoDomain) -> None:
    obj = SsoDomain.objects.select_for_update().get(pk=domain.pk, organization=organization)
    name, pk = obj.domain, obj.pk
    obj.delete()
    audit_record(
        organization=organization,
        actor=actor,
        action="sso.domain.deleted",
        target_label=name,
        data={"id": pk, "domain": name},
    )


# -- policy --------------------------------------------------------------------------------------
@transaction.atomic
def policy_update(
    *,
    organization: Organization,
    actor: Any,
    sso_required: bool,
    mfa_required: bool,
    break_glass_user: Any = None,
) -> SsoPolicy:
    policy, _created = SsoPolicy.objects.select_for_update().get_or_create(organization=organization)
    before = snapshot(policy, ["sso_required", "mfa_required", "break_glass_user_id"])
    if break_glass_user is not None:
        member = Membership.objects.filter(organization=organization, user=break_glass_user).first()
        if member is None or not member.is_admin:
            raise ValidationError({"break_glass_user": _("The emergency admin must be an admin of this organization.")})
    if sso_required:
        if not SsoConnection.objects.filter(organization=organization, is_enabled=True).exists():
            raise ValidationError({"sso_required": _("Enable an SSO connection first.")}, code="no_connection")
        if break_glass_user is None:
            raise ValidationError(
                {
                    "break_glass_user": _(
                        "Name an emergency admin, so the organization stays reachable if the identity provider fails."
                    )
                },
                code="required",
            )
    policy.sso_required = bool(sso_required)
    policy.mfa_required = bool(mfa_required)
    policy.break_glass_user = break_glass_user
    policy.full_clean()
    policy.save()
    changes = diff(before, snapshot(policy, ["sso_required", "mfa_required", "break_glass_user_id"]))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.policy.updated",
            target=policy,
            data={"changes": changes},
        )
    return policy


# -- sign-in through an identity provider ---------------------------------------------------------
@dataclass
class LoginOutcome:
    ok: bool
    reason: str = ""
    message: str = ""
    user: Any = None
    created: bool = False
    roles: list[str] = field(default_factory=list)


REFUSALS = {
    "connection_disabled": lambda: _("This sign-in method is switched off. Ask your administrator."),
    "no_uid": lambda: _("The identity provider did not identify the user."),
    "saml_transient_name_id": lambda: _(
        "The identity provider identified you only by a temporary (transient) NameID, which changes at every "
        "sign-in, so your account cannot be recognised. Ask your administrator to have the identity provider "
        "send a persistent NameID, or to name a user ID attribute for this connection."
    ),
    "not_provisioned": lambda: _(
        "You have no account here yet, and this organization does not create accounts "
        "automatically. Ask your administrator for an invitation."
    ),
    "no_email": lambda: _("The identity provider did not send an e-mail address, so no account can be created."),
    "email_domain_not_verified": lambda: _(
        "Your e-mail address is not in a domain this organization has verified, so no account can be created for it."
    ),
    "email_conflict": lambda: _(
        "An account with this e-mail address already exists. Sign in with your password "
        "first, then use single sign-on again to link the two."
    ),
    "no_role": lambda: _("Your identity provider account gives you no role in this organization."),
    "inactive": lambda: _("This account is deactivated."),
    "unsupported_process": lambda: _(
        "Single sign-on cannot be connected from the account page. To link it to your "
        "account, sign in with your password, then sign in with single sign-on."
    ),
}


def login_failed(
    *,
    organization: Organization,
    actor: Any = None,
    connection: SsoConnection,
    reason: str,
    detail: str = "",
    uid: str = "",
) -> None:
    with org_scope(organization):
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.login.failed",
            target=connection,
            data={"reason": reason, "detail": detail[:500], "uid": uid[:255], "provider_id": connection.provider_id},
        )


def _refuse(
    connection: SsoConnection, reason: str, *, uid: str = "", actor: Any = None, detail: str = ""
) -> LoginOutcome:
    login_failed(
        organization=connection.organization, actor=actor, connection=connection, reason=reason, uid=uid, detail=detail
    )
    return LoginOutcome(ok=False, reason=reason, message=str(REFUSALS[reason]()))


def _domain_verified(organization: Organization, email: str) -> bool:
    domain = email_domain(email)
    return (
        bool(domain)
        and SsoDomain.objects.filter(
            organization=organization, domain=domain, status=SsoDomain.Status.VERIFIED
        ).exists()
    )


def _roles_for(connection: SsoConnection, claims: IdentityClaims) -> list[str]:
    roles = set(connection.mapped_roles(claims.groups))
    if connection.default_role:
        roles.add(connection.default_role)
    return [r for r in Role.values if r in roles]


def _reconcile_membership(
    connection: SsoConnection, user: Any, claims: IdentityClaims, *, provisioning_allowed: bool
) -> tuple[str, list[str]]:
    """Create or update the user's membership in the connection's organization, and only there.
    Returns (reason, roles): reason is "" when the user may come in."""
    organization = connection.organization
    roles = _roles_for(connection, claims)
    membership = Membership.objects.select_for_update().filter(organization=organization, user=user).first()
    if membership is None:
        if not provisioning_allowed:
            return "not_provisioned", []
        if not roles:
            return "no_role", []
        membership = Membership(organization=organization, user=user)
        membership.set_roles(roles)
        membership.full_clean()
        membership.save()
        audit_record(
            organization=organization,
            actor=user,
            action="sso.membership.created",
            target=membership,
            target_label=user.email,
            data={"roles": roles, "groups": claims.groups[:50], "connection": connection.provider_id},
        )
        return "", roles
    if not connection.group_role_map:
        return "", membership.roles  # without a mapping the IdP does not manage roles
    before = membership.roles
    if not roles:
        if (
            membership.is_admin
            and not Membership.objects.filter(organization=organization, is_admin=True)
            .exclude(pk=membership.pk)
            .exists()
        ):
            roles = [Role.ADMIN.value]  # never lock an organization out of its last admin
        else:
            membership.delete()
            audit_record(
                organization=organization,
                actor=user,
                action="sso.membership.removed",
                target_label=user.email,
                data={"roles": before, "groups": claims.groups[:50], "connection": connection.provider_id},
            )
            return "no_role", []
    if (
        Role.ADMIN in before
        and Role.ADMIN not in roles
        and not Membership.objects.filter(organization=organization, is_admin=True).exclude(pk=membership.pk).exists()
    ):
        roles = [r for r in Role.values if r in {*roles, Role.ADMIN.value}]
    if set(roles) != set(before):
        membership.set_roles(roles)
        membership.full_clean()
        membership.save()
        audit_record(
            organization=organization,
            actor=user,
            action="sso.membership.roles_updated",
            target=membership,
            target_label=user.email,
            data={
                "changes": {"roles": {"old": before, "new": membership.roles}},
                "groups": claims.groups[:50],
                "connection": connection.provider_id,
            },
        )
    return "", membership.roles


@transaction.atomic
def sso_login(
    *,
    organization: Organization,
    actor: Any = None,
    connection: SsoConnection,
    sociallogin: Any,
    claims: IdentityClaims,
    signed_in_user: Any = None,
) -> LoginOutcome:
    """Decide what a successful IdP authentication means here, before allauth logs the user in.

    * a known identity (this connection's provider id + the IdP's subject) → its user;
    * an unknown identity while ``signed_in_user`` (a local session) has the same e-mail address in a
      domain this organization verified → the identity is linked to that account;
    * otherwise a new account is provisioned (JIT) — never one matched by e-mail address.

    Then the membership in the connection's organization — and no other — is created or brought in line
    with the group mapping. The caller turns a refusal into an error page; nothing is logged in then.
    """
    if connection.organization_id != organization.pk:
        raise PermissionError("connection of another organization")
    with org_scope(organization):
        if not connection.is_enabled:
            return _refuse(connection, "connection_disabled", uid=claims.uid)
        if not claims.uid:
            return _refuse(connection, "no_uid")
        if claims.transient_name_id:
            # Keyed on a value that changes at every sign-in, each login would be a new identity.
            return _refuse(
                connection, "saml_transient_name_id", uid=claims.uid, detail="NameID format " + SAML_NAMEID_TRANSIENT
            )
        created = linked = False
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active:
                return _refuse(connection, "inactive", uid=claims.uid, actor=None)
        else:
            email = claims.email
            if (
                signed_in_user is not None
                and getattr(signed_in_user, "is_authenticated", False)
                and email
                and signed_in_user.email.lower() == email
                and _domain_verified(organization, email)
            ):
                user = signed_in_user
                linked = True
            else:
                if not connection.jit_provisioning:
                    return _refuse(connection, "not_provisioned", uid=claims.uid)
                if not email:
                    return _refuse(connection, "no_email", uid=claims.uid)
                if not _domain_verified(organization, email):
                    return _refuse(connection, "email_domain_not_verified", uid=claims.uid, detail=email)
                if (
                    User.objects.filter(email__iexact=email).exists()
                    or EmailAddress.objects.filter(email__iexact=email).exists()
                ):
                    return _refuse(connection, "email_conflict", uid=claims.uid, detail=email)
                user = None
        if user is None:
            # Check the role before creating anything, then provision.
            if not _roles_for(connection, claims):
                return _refuse(connection, "no_role", uid=claims.uid)
            user = User(
                email=claims.email,
                full_name=claims.full_name,
                preferred_language=translation.get_language()
                if translation.get_language() in dict(settings.LANGUAGES)
                else "en",
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
            EmailAddress.objects.create(user=user, email=claims.email, primary=True, verified=True)
            created = True
            audit_record(
                organization=organization,
                actor=user,
                action="sso.user.provisioned",
                target=user,
                target_label=user.email,
                data={"connection": connection.provider_id, "uid": claims.uid},
            )
        if not sociallogin.is_existing:
            account = sociallogin.account
            account.user = user
            account.save()
            sociallogin.user = user
            if linked:
                audit_record(
                    organization=organization,
                    actor=user,
                    action="sso.identity.linked",
                    target=user,
                    target_label=user.email,
                    data={"connection": connection.provider_id, "uid": claims.uid},
                )
        reason, roles = _reconcile_membership(
            connection, user, claims, provisioning_allowed=connection.jit_provisioning or created or linked
        )
        if reason:
            return _refuse(connection, reason, uid=claims.uid, actor=user)
        audit_record(
            organization=organization,
            actor=user,
            action="sso.login.succeeded",
            target=user,
            target_label=user.email,
            data={
                "connection": connection.provider_id,
                "uid": claims.uid,
                "provisioned": created,
                "linked": linked,
                "roles": roles,
            },
        )
        return LoginOutcome(ok=True, user=user, created=created, roles=roles)


LOGOUT_INITIATORS = ("idp", "sp")


@transaction.atomic
def sso_logout(*, organization: Organization, actor: Any, connection: SsoConnection, initiated_by: str) -> None:
    """Record that a session which came through ``connection`` ended by SAML single logout: started by the
    identity provider (``idp``, its LogoutRequest reached our SLS) or here (``sp``, the user signed out and
    was sent to the IdP with our LogoutRequest). The session itself is ended by the caller."""
    if initiated_by not in LOGOUT_INITIATORS:
        raise ValueError(f"initiated_by must be one of {LOGOUT_INITIATORS}")
    if connection.organization_id != organization.pk:
        raise PermissionError("connection of another organization")
    with org_scope(organization):
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.logout",
            target=actor,
            target_label=getattr(actor, "email", ""),
            data={"initiated_by": initiated_by, "connection": connection.provider_id},
        )
