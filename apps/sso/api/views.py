from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import OrgGenericViewSet, OrgModelViewSet, OrgViewSetMixin
from apps.core.permissions import ADMINS
from apps.sso import selectors, services
from apps.sso.api.serializers import (
    DomainEmailSerializer,
    SsoConnectionSerializer,
    SsoDomainSerializer,
    SsoPolicySerializer,
    TestReportSerializer,
    service_fields,
)
from apps.sso.forms import new_key
from apps.sso.models import SsoConnection, SsoDomain, SsoPolicy
from apps.sso.services import COMMON_FIELDS, OIDC_FIELDS, SAML_FIELDS


def _applicable(protocol: str, data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values of the other protocol's fields (clients often send every field)."""
    own = set(COMMON_FIELDS) | set(OIDC_FIELDS if protocol == "oidc" else SAML_FIELDS)
    return {k: v for k, v in data.items() if k in own or v not in ("", None, False, [])}


class SsoConnectionViewSet(OrgModelViewSet):
    """The organization's SSO connections (admins only)."""

    serializer_class = SsoConnectionSerializer
    read_roles = ADMINS
    write_roles = ADMINS
    queryset = SsoConnection.objects.none()

    def get_queryset(self) -> Any:
        return selectors.connections(organization=self.organization)

    def perform_create(self, serializer: SsoConnectionSerializer) -> None:  # type: ignore[override]
        data = service_fields(serializer.validated_data)
        protocol = data.pop("protocol")
        key = data.pop("key", None) or new_key(protocol)
        secret = data.pop("client_secret", None) or None
        data.pop("refresh_metadata", None)
        name = data.pop("name")
        serializer.instance = services.connection_create(
            organization=self.organization,
            actor=self.request.user,
            protocol=protocol,
            name=name,
            key=key,
            client_secret=secret,
            **_applicable(protocol, data),
        )

    def perform_update(self, serializer: SsoConnectionSerializer) -> None:  # type: ignore[override]
        instance: SsoConnection = serializer.instance  # type: ignore[assignment]
        data = service_fields(serializer.validated_data)
        secret = data.pop("client_secret", None) or None
        refresh = bool(data.pop("refresh_metadata", False))
        serializer.instance = services.connection_update(
            organization=self.organization,
            actor=self.request.user,
            connection=instance,
            client_secret=secret,
            refresh_metadata=refresh,
            **_applicable(instance.protocol, data),
        )

    def perform_destroy(self, instance: SsoConnection) -> None:
        services.connection_delete(organization=self.organization, actor=self.request.user, connection=instance)

    @extend_schema(request=None, responses=TestReportSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Fetch the IdP's discovery document / metadata and report problems in plain words."""
        report = services.connection_test(
            organization=self.organization, actor=request.user, connection=self.get_object()
        )
        return Response(report.as_dict())


class SsoDomainViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    OrgGenericViewSet,
):
    """E-mail domains the organization claims. A verified domain routes logins to its SSO."""

    serializer_class = SsoDomainSerializer
    read_roles = ADMINS
    write_roles = ADMINS
    queryset = SsoDomain.objects.none()

    def get_queryset(self) -> Any:
        return selectors.domains(organization=self.organization)

    def perform_create(self, serializer: SsoDomainSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.domain_add(
            organization=self.organization, actor=self.request.user, domain=serializer.validated_data["domain"]
        )

    def perform_destroy(self, instance: SsoDomain) -> None:
        services.domain_delete(organization=self.organization, actor=self.request.user, domain=instance)

    @extend_schema(request=None, responses=SsoDomainSerializer)
    @action(detail=True, methods=["post"], url_path="verify-dns")
    def verify_dns(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        domain = services.domain_verify_dns(
            organization=self.organization, actor=request.user, domain=self.get_object()
        )
        return Response(SsoDomainSerializer(domain).data)

    @extend_schema(request=DomainEmailSerializer, responses={202: SsoDomainSerializer})
    @action(detail=True, methods=["post"], url_path="send-verification-email")
    def send_verification_email(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = DomainEmailSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        domain = services.domain_send_verification_email(
            organization=self.organization,
            actor=request.user,
            domain=self.get_object(),
            local_part=body.validated_data["local_part"],
        )
        return Response(SsoDomainSerializer(domain).data, status=status.HTTP_202_ACCEPTED)


class SsoPolicyView(OrgViewSetMixin, generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    """The organization's sign-in policy, a singleton (admins only). Writes go through
    ``services.policy_update`` — the same rules and ``sso.policy.updated`` audit event as the policy
    page. Fields left out of a PATCH (or PUT) keep their current values."""

    serializer_class = SsoPolicySerializer
    read_roles = ADMINS
    write_roles = ADMINS
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> SsoPolicy:
        return selectors.policy(organization=self.organization)

    def perform_update(self, serializer: SsoPolicySerializer) -> None:  # type: ignore[override]
        current: SsoPolicy = serializer.instance  # type: ignore[assignment]
        data = serializer.validated_data
        serializer.instance = services.policy_update(
            organization=self.organization,
            actor=self.request.user,
            sso_required=data.get("sso_required", current.sso_required),
            mfa_required=data.get("mfa_required", current.mfa_required),
            break_glass_user=data.get("break_glass_user", current.break_glass_user),
        )
