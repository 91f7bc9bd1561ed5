from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django_scopes import scopes_disabled

from apps.organizations.models import Invitation, Membership, Organization

if TYPE_CHECKING:
    from apps.audit.models import AuditEvent


def membership_for(*, user: Any, org_slug: str) -> tuple[Organization, Membership] | None:
    """The organization named in the URL and the user's membership in it, or None (→ 404)."""
    if not user.is_authenticated or not org_slug:
        return None
    from apps.sso.policy import active_policy_exists  # the organization's SSO/MFA policy, same query

    with scopes_disabled():
        membership = (
            Membership.objects.select_related("organization")
            .annotate(login_policy_active=active_policy_exists())
            .filter(user=user, organization__slug=org_slug)
            .first()
        )
    if membership is None:
        return None
    return membership.organization, membership


def organizations_for_user(*, user: Any) -> QuerySet[Organization]:
    """The organizations a user belongs to (the 'my organizations' list and the switcher)."""
    with scopes_disabled():
        org_ids = list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=org_ids).order_by("name")


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def organization_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization).select_related("invited_by")


def admin_count(*, organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, is_admin=True).count()


def invitation_by_token(*, token: str) -> Invitation | None:
    with scopes_disabled():
        return Invitation.objects.select_related("organization").filter(token=token).first()


# --- the overview page --------------------------------------------------------------------------

RECENT_ACTIVITY_LIMIT = 8


@dataclass(frozen=True)
class Tally:
    """One bucket of a breakdown: a choice value, its (lazy, translated) label and its count."""

    value: str
    label: Any
    count: int


@dataclass(frozen=True)
class Breakdown:
    """A total and its split by one choice field, in the choices' order (empty buckets included)."""

    total: int
    tallies: list[Tally]

    def get(self, value: str) -> int:
        return next((t.count for t in self.tallies if t.value == value), 0)


@dataclass(frozen=True)
class OrganizationOverview:
    member_count: int
    data_source_count: int
    use_cases_by_phase: Breakdown
    assessments_by_verdict: Breakdown
    models_by_status: Breakdown
    scorecards_by_status: Breakdown
    #: the newest audit events, or ``None`` when the member may not read the audit log
    recent_activity: list[AuditEvent] | None


def _breakdown(choices: Iterable[tuple[str, Any]], counts: dict[str, int]) -> Breakdown:
    return Breakdown(
        total=sum(counts.values()),
        tallies=[Tally(value=value, label=label, count=counts.get(value, 0)) for value, label in choices],
    )


def _count_by(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    """``{value: rows}`` in one GROUP BY query."""
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk"))
    return dict(rows)


def organization_overview(*, organization: Organization, include_activity: bool = False) -> OrganizationOverview:
    """Key counts of the organization for its overview page, in a fixed number of queries (one per
    figure, plus one for the recent audit events when ``include_activity``). Runs inside the
    organization's scope. Assessment verdicts come from the readiness rules, which run in Python:
    the assessments are read in one query and rolled up by :func:`apps.datasources.readiness.rollup`."""
    # imported here: these apps import the organizations app themselves
    from apps.audit.selectors import audit_events_for_org
    from apps.datasources import readiness
    from apps.datasources.models import DataSource
    from apps.datasources.selectors import assessment_list
    from apps.registry.models import RegisteredModel, RegistryStatus
    from apps.scorecards.models import Scorecard
    from apps.usecases.choices import Phase
    from apps.usecases.models import UseCase

    verdicts = readiness.rollup(
        assessment.readiness for assessment in assessment_list().filter(organization=organization).order_by()
    )
    assessment_choices = [(value, label) for value, label in readiness.Verdict.choices if value in verdicts.counts]
    recent: list[AuditEvent] | None = None
    if include_activity:
        recent = list(audit_events_for_org(organization=organization)[:RECENT_ACTIVITY_LIMIT])
    return OrganizationOverview(
        member_count=organization_members(organization=organization).count(),
        data_source_count=DataSource.objects.filter(organization=organization).count(),
        use_cases_by_phase=_breakdown(
            Phase.choices, _count_by(UseCase.objects.filter(organization=organization), "phase")
        ),
        assessments_by_verdict=_breakdown(assessment_choices, verdicts.counts),
        models_by_status=_breakdown(
            RegistryStatus.choices, _count_by(RegisteredModel.objects.filter(organization=organization), "status")
        ),
        scorecards_by_status=_breakdown(
            Scorecard.Status.choices, _count_by(Scorecard.objects.filter(organization=organization), "status")
        ),
        recent_activity=recent,
    )
