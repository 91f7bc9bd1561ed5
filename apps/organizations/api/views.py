from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.viewsets import OrgGenericViewSet, OrgViewSetMixin
from apps.core.permissions import ADMINS
from apps.organizations import selectors
from apps.organizations.api.serializers import (
    InvitationSerializer,
    MembershipSerializer,
    MeSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
)
from apps.organizations.models import Invitation, Membership, Organization
from apps.organizations.services import (
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_update_roles,
    organization_create,
    organization_update,
)


class OrganizationListCreateView(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """The caller's organizations; POST creates one (the caller becomes its admin)."""

    serializer_class = OrganizationSerializer
    queryset = Organization.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return selectors.organizations_for_user(user=self.request.user)

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if getattr(request, "auth", None) is not None:
            # an organization token acts inside its organization only
            return Response(
                {
                    "error": {
                        "status": 403,
                        "code": "permission_denied",
                        "message": "Tokens cannot create organizations.",
                    }
                },
                status=403,
            )
        serializer = OrganizationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = organization_create(actor=request.user, **serializer.validated_data)
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)


class OrganizationDetailView(OrgViewSetMixin, generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    serializer_class = OrganizationSerializer
    write_roles = ADMINS
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> Organization:
        return self.organization

    def perform_update(self, serializer: OrganizationSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        organization_update(
            organization=self.organization,
            actor=self.request.user,
            name=data.get("name", self.organization.name),
            description=data.get("description", self.organization.description),
        )


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrgGenericViewSet,
):
    """Members and their roles. Admins change roles (PATCH ``{"roles": [...]}``) and remove members;
    the last admin can be neither demoted nor removed."""

    serializer_class = MembershipSerializer
    write_roles = ADMINS
    queryset = Membership.objects.none()

    def get_queryset(self) -> Any:
        return selectors.organization_members(organization=self.organization)

    def perform_update(self, serializer: MembershipSerializer) -> None:  # type: ignore[override]
        instance = serializer.instance
        assert instance is not None
        serializer.instance = membership_update_roles(
            organization=self.organization,
            actor=self.request.user,
            membership=instance,
            roles=serializer.validated_data.get("roles", instance.roles),
        )

    def perform_destroy(self, instance: Membership) -> None:
        membership_remove(organization=self.organization, actor=self.request.user, membership=instance)


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    OrgGenericViewSet,
):
    """Invitations (admins only). DELETE revokes a pending invitation."""

    serializer_class = InvitationSerializer
    read_roles = ADMINS
    write_roles = ADMINS
    queryset = Invitation.objects.none()

    def get_queryset(self) -> Any:
        return selectors.organization_invitations(organization=self.organization)

    def perform_create(self, serializer: InvitationSerializer) -> None:  # type: ignore[override]
        serializer.instance = invitation_create(
            organization=self.organization, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Invitation) -> None:
        invitation_revoke(organization=self.organization, actor=self.request.user, invitation=instance)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        orgs = selectors.organizations_for_user(user=user)
        token = getattr(request, "auth", None)
        if token is not None:
            orgs = orgs.filter(pk=token.organization_id)
        return Response(MeSerializer({"email": user.email, "full_name": user.full_name, "organizations": orgs}).data)


__all__ = ["ValidationError"]
