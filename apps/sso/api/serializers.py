from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.api.fields import MemberField
from apps.sso.models import SsoConnection, SsoDomain, SsoPolicy
from apps.sso.socialapps import endpoints


class GroupRoleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    group = serializers.CharField(max_length=255)
    role = serializers.CharField(max_length=16)


class SsoConnectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An identity provider of the organization. ``client_secret`` is write-only: it is stored
    encrypted and never returned (``has_client_secret`` tells whether one is set). With
    ``saml_sign_requests`` the connection signs its SAML AuthnRequests with its own key pair, generated when
    first needed: ``saml_sp_certificate`` (read-only) is its public certificate; the private key is never
    returned."""

    key = serializers.SlugField(max_length=40, required=False, help_text="Generated when omitted; immutable.")
    client_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=4000, style={"input_type": "password"}
    )
    refresh_metadata = serializers.BooleanField(write_only=True, required=False, default=False)
    has_client_secret = serializers.BooleanField(read_only=True)
    group_role_map = GroupRoleSerializer(many=True, required=False)
    endpoints = serializers.SerializerMethodField()

    class Meta:
        model = SsoConnection
        fields = [
            "id",
            "name",
            "protocol",
            "key",
            "provider_id",
            "is_enabled",
            "jit_provisioning",
            "default_role",
            "groups_claim",
            "group_role_map",
            "oidc_issuer",
            "oidc_client_id",
            "client_secret",
            "has_client_secret",
            "oidc_scopes",
            "oidc_pkce",
            "oidc_token_auth_method",
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
            "saml_sp_certificate",
            "refresh_metadata",
            "endpoints",
            "last_tested_at",
            "last_test_ok",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "provider_id",
            "saml_sp_certificate",
            "last_tested_at",
            "last_test_ok",
            "created_at",
            "updated_at",
        ]

    def get_endpoints(self, obj: SsoConnection) -> dict[str, str]:
        return endpoints(obj)


class TestReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ok = serializers.BooleanField()
    findings = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class SsoDomainSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    txt_record = serializers.CharField(read_only=True)

    class Meta:
        model = SsoDomain
        fields = ["id", "domain", "status", "method", "txt_record", "email_address", "verified_at", "created_at"]
        read_only_fields = ["status", "method", "email_address", "verified_at", "created_at"]


class DomainEmailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    local_part = serializers.CharField(max_length=64)


class SsoPolicySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The organization's sign-in policy. ``break_glass_user`` is the user id of the emergency admin
    (``null`` for none); it must be a member of the organization, and the policy service checks that
    the member is an admin."""

    break_glass_user = MemberField(
        required=False,
        allow_null=True,
        label=SsoPolicy._meta.get_field("break_glass_user").verbose_name,
        help_text=SsoPolicy._meta.get_field("break_glass_user").help_text,
    )

    class Meta:
        model = SsoPolicy
        fields = ["sso_required", "mfa_required", "break_glass_user", "updated_at"]
        read_only_fields = ["updated_at"]


def service_fields(validated: dict[str, Any]) -> dict[str, Any]:
    data = dict(validated)
    if "group_role_map" in data:
        data["group_role_map"] = [dict(row) for row in data["group_role_map"]]
    return data
