from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.organizations.models import SLUG_VALIDATOR, Invitation, Membership, Organization, Role


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ("id", "name", "slug", "description", "created_at")
        read_only_fields = ("id", "slug", "created_at")


class OrganizationCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    slug = serializers.CharField(max_length=50, validators=[SLUG_VALIDATOR])
    description = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)

    class Meta:
        model = Membership
        fields = ("id", "email", "full_name", "roles", "joined_at")
        read_only_fields = ("id", "email", "full_name", "joined_at")


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)

    class Meta:
        model = Invitation
        fields = ("id", "email", "roles", "status", "created_at", "expires_at", "accepted_at")
        read_only_fields = ("id", "status", "created_at", "expires_at", "accepted_at")


class MeSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    organizations = OrganizationSerializer(many=True)
