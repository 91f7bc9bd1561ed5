"""State changes of the data inventory and of data assessments. Each validates with
``full_clean()``, writes its audit events in the same transaction and refuses objects of another
organization.

Audit actions: ``datasource.created|updated|deleted|imported``, ``datasource.classification_changed``
and ``datasource.pii_changed`` (distinct events: later features re-open decisions on them),
``data_assessment.created|updated|deleted``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_record, diff, snapshot
from apps.core.tenancy import assert_same_org
from apps.datasources import importing
from apps.datasources.choices import Origin, TermsAnswer
from apps.datasources.importing import CellError, ImportFileError
from apps.datasources.models import DataAssessment, DataSource, Tag
from apps.organizations.models import Membership, Organization
from apps.usecases.models import UseCase

DATASOURCE_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "owner",
    "origin",
    "system_or_provider",
    "formats",
    "volume",
    "volume_unit",
    "update_frequency",
    "classification",
    "contains_personal_data",
    "personal_data_categories",
    "access_restrictions",
    "access_granted_by",
    "storage_cost_monthly",
    "storage_cost_currency",
    "licence",
    "tags",
)
_SENSITIVE = ("classification", "contains_personal_data", "personal_data_categories")
_AUDIT_FIELDS = [("owner_id" if f == "owner" else f) for f in DATASOURCE_FIELDS if f != "tags"]

ASSESSMENT_FIELDS: tuple[str, ...] = (
    "relevance",
    "relevance_rationale",
    "accessible_today",
    "access_status",
    "terms_permit_use",
    "preprocessing",
    "preprocessing_notes",
    "search_index",
    "extra_cost_monthly",
    "extra_cost_currency",
    "availability_rationale",
    "meets_quality_standard",
    "contains_confidential",
    "anonymisation_required",
    "standardisation_rationale",
)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable fields: {sorted(unknown)}")


def _check_owner(organization: Organization, owner: Any) -> None:
    if owner is not None and not Membership.objects.filter(organization=organization, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of this organization.")}, code="not_member")


def _name_taken(name: str, exclude_pk: int | None = None) -> bool:
    qs = DataSource.objects.filter(name__iexact=(name or "").strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _duplicate_name() -> ValidationError:
    return ValidationError({"name": _("A data source with this name already exists.")}, code="unique")


def _clean_and_save(obj: DataSource | DataAssessment, *, exclude: list[str]) -> None:
    obj.full_clean(exclude=["organization", *exclude], validate_constraints=False)
    obj.save()


def _set_tags(organization: Organization, data_source: DataSource, names: Iterable[str]) -> list[str]:
    """Replace the source's tags (created on first use, matched case-insensitively)."""
    try:
        clean = importing.parse_tags(",".join(names))
    except ValidationError as exc:
        raise ValidationError({"tags": exc.messages}) from exc
    query = reduce(operator.or_, (Q(name__iexact=name) for name in clean), Q(pk__in=[]))
    existing = {t.name.casefold(): t for t in Tag.objects.filter(query)} if clean else {}
    tags = []
    for name in clean:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag(organization=organization, name=name)
            tag.full_clean(exclude=["organization"], validate_constraints=False)
            tag.save()
            existing[name.casefold()] = tag
        tags.append(tag)
    data_source.tags.set(tags)
    return [t.name for t in tags]


def _prune_tags() -> None:
    Tag.objects.filter(data_sources__isnull=True).delete()


def _tag_names(data_source: DataSource) -> list[str]:
    return sorted(t.name for t in data_source.tags.all())


def _emit_sensitivity_events(
    organization: Organization, actor: Any, data_source: DataSource, before: dict[str, Any], after: dict[str, Any]
) -> None:
    affected = list(data_source.assessments.values_list("use_case_id", flat=True))
    if before["classification"] != after["classification"]:
        audit_record(
            organization=organization,
            actor=actor,
            action="datasource.classification_changed",
            target=data_source,
            data={
                "old": before["classification"],
                "new": after["classification"],
                "affected_use_cases": affected,
            },
        )
    if before["contains_personal_data"] != after["contains_personal_data"]:
        audit_record(
            organization=organization,
            actor=actor,
            action="datasource.pii_changed",
            target=data_source,
            data={
                "old": before["contains_personal_data"],
                "new": after["contains_personal_data"],
                "categories": {"old": before["personal_data_categories"], "new": after["personal_data_categories"]},
                "affected_use_cases": affected,
            },
        )


# --- data sources ----------------------------------------------------------------------------------


@transaction.atomic
def datasource_create(*, organization: Organization, actor: Any, **fields: Any) -> DataSource:
    _check_fields(fields, DATASOURCE_FIELDS)
    tags = fields.pop("tags", None) or []
    _check_owner(organization, fields.get("owner"))
    data_source = DataSource(organization=organization, created_by=actor, **fields)
    data_source.name = (data_source.name or "").strip()
    if _name_taken(data_source.name):
        raise _duplicate_name()
    try:
        with transaction.atomic():
            _clean_and_save(data_source, exclude=["created_by"])
    except IntegrityError as exc:
        raise _duplicate_name() from exc
    tag_names = _set_tags(organization, data_source, tags)
    audit_record(
        organization=organization,
        actor=actor,
        action="datasource.created",
        target=data_source,
        data={"values": {**snapshot(data_source, _AUDIT_FIELDS), "tags": sorted(tag_names)}},
    )
    return data_source


@transaction.atomic
def datasource_update(*, organization: Organization, actor: Any, data_source: DataSource, **fields: Any) -> DataSource:
    _check_fields(fields, DATASOURCE_FIELDS)
    assert_same_org(organization, data_source)
    data_source = DataSource.objects.select_for_update().get(pk=data_source.pk, organization=organization)
    if "owner" in fields:
        _check_owner(organization, fields["owner"])
    tags = fields.pop("tags", None)
    before = {**snapshot(data_source, _AUDIT_FIELDS), "tags": _tag_names(data_source)}
    for name, value in fields.items():
        setattr(data_source, name, value)
    data_source.name = (data_source.name or "").strip()
    if "name" in fields and _name_taken(data_source.name, exclude_pk=data_source.pk):
        raise _duplicate_name()
    try:
        with transaction.atomic():
            _clean_and_save(data_source, exclude=["created_by"])
    except IntegrityError as exc:
        raise _duplicate_name() from exc
    if tags is not None:
        _set_tags(organization, data_source, tags)
        _prune_tags()
    after = {**snapshot(data_source, _AUDIT_FIELDS), "tags": _tag_names(data_source)}
    _emit_sensitivity_events(organization, actor, data_source, before, after)
    other = diff(
        {k: v for k, v in before.items() if k not in ("classification", "contains_personal_data")},
        {k: v for k, v in after.items() if k not in ("classification", "contains_personal_data")},
    )
    if other:
        audit_record(
            organization=organization,
            actor=actor,
            action="datasource.updated",
            target=data_source,
            data={"changes": other},
        )
    return data_source


@transaction.atomic
def datasource_delete(*, organization: Organization, actor: Any, data_source: DataSource) -> None:
    """Refused while use cases have assessments of the source (remove those first)."""
    assert_same_org(organization, data_source)
    data_source = DataSource.objects.select_for_update().get(pk=data_source.pk, organization=organization)
    used_by = list(data_source.assessments.values_list("use_case__title", flat=True)[:6])
    if used_by:
        raise ValidationError(
            _("This data source is assessed for use cases (%(titles)s); remove those assessments first.")
            % {"titles": ", ".join(used_by)},
            code="in_use",
        )
    values = {**snapshot(data_source, _AUDIT_FIELDS), "tags": _tag_names(data_source)}
    audit_record(
        organization=organization,
        actor=actor,
        action="datasource.deleted",
        target=data_source,
        data={"values": values},
    )
    try:
        with transaction.atomic():
            data_source.delete()
    except ProtectedError as exc:  # an assessment was added concurrently
        raise ValidationError(_("This data source is in use and cannot be deleted."), code="in_use") from exc
    _prune_tags()


# --- import ------------------------------------------------------------------------------------------


@dataclass
class ImportRejected(Exception):
    """Nothing was imported. ``errors`` name the row (None: the whole file) and the column."""

    errors: list[CellError] = field(default_factory=list)
    truncated: int = 0

    def __str__(self) -> str:
        return "; ".join(str(e.message) for e in self.errors[:5])


def _row_error_messages(exc: ValidationError) -> list[tuple[str | None, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (None if key == "__all__" else ("owner_email" if key == "owner" else key), message)
            for key, errors in exc.message_dict.items()
            for message in errors
        ]
    return [(None, message) for message in exc.messages]


@transaction.atomic
def datasource_import(*, organization: Organization, actor: Any, data: bytes, filename: str) -> list[DataSource]:
    """All or nothing: every row valid → every source created (one audit event each plus a summary);
    any problem → :class:`ImportRejected` and nothing is written."""
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(organization=organization).select_related("user")
    }
    existing = list(DataSource.objects.values_list("name", flat=True))
    try:
        parsed = importing.parse_datasources(data, filename, existing_names=existing, owner_emails=set(members))
    except ImportFileError as exc:
        raise ImportRejected([CellError(None, None, exc.message)]) from exc
    if not parsed.ok:
        raise ImportRejected(parsed.errors, parsed.truncated_errors)

    created: list[DataSource] = []
    errors: list[CellError] = []
    for row in parsed.rows:
        values = dict(row.values)
        email = values.pop("owner_email", None)
        tags = values.pop("tags", [])
        for key in ("description", "system_or_provider", "access_restrictions", "access_granted_by", "licence"):
            values[key] = values.get(key) or ""
        for key in ("volume_unit", "update_frequency", "storage_cost_currency"):
            values[key] = values.get(key) or ""
        data_source = DataSource(
            organization=organization, created_by=actor, owner=members.get(email) if email else None, **values
        )
        try:
            data_source.full_clean(exclude=["organization", "created_by"], validate_constraints=False)
            with transaction.atomic():
                data_source.save()
            _set_tags(organization, data_source, tags)
        except ValidationError as exc:
            errors.extend(CellError(row.row, column, message) for column, message in _row_error_messages(exc))
            continue
        except IntegrityError:
            errors.append(CellError(row.row, "name", gettext_lazy("A data source with this name already exists.")))
            continue
        audit_record(
            organization=organization,
            actor=actor,
            action="datasource.created",
            target=data_source,
            data={"values": {**snapshot(data_source, _AUDIT_FIELDS), "tags": tags}, "import": filename[:200]},
        )
        created.append(data_source)
    if errors:
        raise ImportRejected(errors)  # rolls the whole import back
    audit_record(
        organization=organization,
        actor=actor,
        action="datasource.imported",
        target=None,
        data={"file": filename[:200], "count": len(created), "ids": [d.pk for d in created]},
    )
    return created


# --- assessments -------------------------------------------------------------------------------------


def _assessment_snapshot(assessment: DataAssessment) -> dict[str, Any]:
    return {
        **snapshot(assessment, list(ASSESSMENT_FIELDS)),
        "verdict": assessment.readiness.verdict,
    }


@transaction.atomic
def assessment_create(
    *, organization: Organization, actor: Any, use_case: UseCase, data_source: DataSource, **answers: Any
) -> DataAssessment:
    _check_fields(answers, ASSESSMENT_FIELDS)
    assert_same_org(organization, use_case, data_source)
    if DataAssessment.objects.filter(use_case=use_case, data_source=data_source).exists():
        raise ValidationError(
            {"data_source": _("This data source is already assessed for this use case.")}, code="unique"
        )
    if "terms_permit_use" not in answers and data_source.origin == Origin.INTERNAL:
        answers["terms_permit_use"] = TermsAnswer.NOT_APPLICABLE
    assessment = DataAssessment(
        organization=organization, use_case=use_case, data_source=data_source, assessed_by=actor, **answers
    )
    try:
        with transaction.atomic():
            _clean_and_save(assessment, exclude=["assessed_by"])
    except IntegrityError as exc:
        raise ValidationError(
            {"data_source": _("This data source is already assessed for this use case.")}, code="unique"
        ) from exc
    audit_record(
        organization=organization,
        actor=actor,
        action="data_assessment.created",
        target=assessment,
        data={
            "use_case": use_case.pk,
            "data_source": data_source.pk,
            "values": _assessment_snapshot(assessment),
        },
    )
    return assessment


@transaction.atomic
def assessment_update(
    *, organization: Organization, actor: Any, assessment: DataAssessment, **answers: Any
) -> DataAssessment:
    _check_fields(answers, ASSESSMENT_FIELDS)
    assert_same_org(organization, assessment)
    assessment = (
        DataAssessment.objects.select_for_update(of=("self",))
        .select_related("use_case", "data_source")
        .get(pk=assessment.pk, organization=organization)
    )
    before = _assessment_snapshot(assessment)
    for name, value in answers.items():
        setattr(assessment, name, value)
    assessment.assessed_by = actor if getattr(actor, "is_authenticated", False) else None
    _clean_and_save(assessment, exclude=["assessed_by"])
    assessment.__dict__.pop("readiness", None)
    changes = diff(before, _assessment_snapshot(assessment))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="data_assessment.updated",
            target=assessment,
            data={"use_case": assessment.use_case_id, "data_source": assessment.data_source_id, "changes": changes},
        )
    return assessment


@transaction.atomic
def assessment_delete(*, organization: Organization, actor: Any, assessment: DataAssessment) -> None:
    assert_same_org(organization, assessment)
    assessment = (
        DataAssessment.objects.select_for_update(of=("self",))
        .select_related("use_case", "data_source")
        .get(pk=assessment.pk, organization=organization)
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="data_assessment.deleted",
        target=assessment,
        data={
            "use_case": assessment.use_case_id,
            "data_source": assessment.data_source_id,
            "values": _assessment_snapshot(assessment),
        },
    )
    assessment.delete()


__all__ = [
    "ImportRejected",
    "assessment_create",
    "assessment_delete",
    "assessment_update",
    "datasource_create",
    "datasource_delete",
    "datasource_import",
    "datasource_update",
]
