from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import OrganizationOwned

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _("Use 1–50 lowercase letters, digits and hyphens; start and end with a letter or digit."),
    code="invalid_slug",
)
RESERVED_SLUGS = frozenset({"new", "admin", "api", "static", "media", "accounts", "o", "settings"})


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    CONTRIBUTOR = "contributor", _("Contributor")
    APPROVER = "approver", _("Approver")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Viewer")


ROLE_FIELDS = {
    Role.ADMIN: "is_admin",
    Role.CONTRIBUTOR: "is_contributor",
    Role.APPROVER: "is_approver",
    Role.AUDITOR: "is_auditor",
    Role.VIEWER: "is_viewer",
}


class Organization(models.Model):
    """A tenant. Not itself tenant-owned: it is the scope."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(_("slug"), max_length=50, unique=True, validators=[SLUG_VALIDATOR])
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(OrganizationOwned):
    """A person's place in an organization; roles are independent flags (several allowed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(_("admin"), default=False)
    is_contributor = models.BooleanField(_("contributor"), default=False)
    is_approver = models.BooleanField(_("approver"), default=False)
    is_auditor = models.BooleanField(_("auditor"), default=False)
    is_viewer = models.BooleanField(_("viewer"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("user__email",)
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization_id}"

    @property
    def roles(self) -> list[str]:
        return [role.value for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def set_roles(self, roles: list[str] | set[str]) -> None:
        for role, field in ROLE_FIELDS.items():
            setattr(self, field, role.value in roles)

    def has_any_role(self, *roles: str) -> bool:
        return any(getattr(self, ROLE_FIELDS[Role(r)]) for r in roles)

    def get_roles_display(self) -> str:
        return ", ".join(str(Role(r).label) for r in self.roles)


def _invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(OrganizationOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail address"))
    roles = models.JSONField(_("roles"), default=list)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    def get_roles_display(self) -> str:
        return ", ".join(str(Role(r).label) for r in self.roles if r in Role.values)
