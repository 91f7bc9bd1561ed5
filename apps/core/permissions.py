"""Who may do what. Views and viewsets declare the roles they need; the org base classes enforce
them. Any member may read; writes name their roles explicitly."""

from __future__ import annotations

from apps.organizations.models import Role

ALL_ROLES: tuple[str, ...] = tuple(Role.values)
CONTRIBUTORS: tuple[str, ...] = (Role.CONTRIBUTOR,)
APPROVERS: tuple[str, ...] = (Role.APPROVER,)
ADMINS: tuple[str, ...] = (Role.ADMIN,)
AUDIT_READERS: tuple[str, ...] = (Role.AUDITOR, Role.ADMIN)
