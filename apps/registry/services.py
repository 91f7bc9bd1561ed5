"""State changes of the registry. Keyword-only, organization and actor first, audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record, diff, snapshot
from apps.catalog.licences import normalise_licence_id
from apps.catalog.models import CatalogChangeEvent, CatalogEntry, ModelKind
from apps.core.services import delete_or_refuse
from apps.organizations.models import Membership
from apps.registry.models import CatalogChangeNotification, Hosting, RegisteredModel

EDITABLE_FIELDS = (
    "name",
    "provider",
    "kind",
    "status",
    "hosting",
    "owner",
    "notes",
    "own_licence_id",
    "own_context_window",
    "own_max_output_tokens",
    "own_parameters_total",
    "own_price_input_per_mtok",
    "own_price_output_per_mtok",
    "own_price_currency",
    "measured_latency_ms",
    "measured_throughput_tps",
    "quality_score",
    "quality_evaluation_set",
    "measured_at",
)
AUDIT_FIELDS = [*(f if f != "owner" else "owner_id" for f in EDITABLE_FIELDS), "catalog_entry_id"]


def _check_owner(organization: Any, owner: Any) -> None:
    if owner is None:
        return
    if not Membership.objects.filter(organization=organization, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of this organization.")}, code="invalid_owner")


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = dict(values)
    if "own_licence_id" in cleaned:
        cleaned["own_licence_id"] = normalise_licence_id(cleaned["own_licence_id"] or "")
    if cleaned.get("own_price_currency"):
        cleaned["own_price_currency"] = str(cleaned["own_price_currency"]).upper()
    return cleaned


def registered_model_create(
    *,
    organization: Any,
    actor: Any,
    catalog_entry: CatalogEntry | None = None,
    **values: Any,
) -> RegisteredModel:
    """Register a catalog model (``catalog_entry``) or a private model (``name`` and the facts entered by hand)."""
    values = _clean_values(values)
    if catalog_entry is None and not (values.get("name") or "").strip():
        raise ValidationError({"name": _("Enter a name for a private model, or pick a model from the catalog.")})
    if catalog_entry is not None:
        values.setdefault("name", "")
        if not values["name"]:
            values["name"] = catalog_entry.display_name
            if RegisteredModel.objects.filter(organization=organization, name__iexact=values["name"]).exists():
                values["name"] = f"{catalog_entry.display_name} ({catalog_entry.provider_name})"[:200]
        values.setdefault("provider", catalog_entry.provider_name)
        values.setdefault("kind", catalog_entry.kind)
        if "hosting" not in values:
            values["hosting"] = (
                Hosting.SELF_HOSTED if catalog_entry.kind == ModelKind.OPEN_WEIGHTS else Hosting.VENDOR_API
            )
        if RegisteredModel.objects.filter(organization=organization, catalog_entry=catalog_entry).exists():
            raise ValidationError(
                {"catalog_entry": _("This catalog model is already in the registry.")}, code="duplicate"
            )
    _check_owner(organization, values.get("owner"))
    now = timezone.now()
    registered = RegisteredModel(
        organization=organization,
        catalog_entry=catalog_entry,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
        **values,
    )
    with transaction.atomic():
        registered.full_clean()
        registered.save()
        audit_record(
            organization=organization,
            actor=actor,
            action="registry.model_registered",
            target=registered,
            data=snapshot(registered, AUDIT_FIELDS),
        )
    return registered


def registered_model_update(
    *, organization: Any, actor: Any, registered_model: RegisteredModel, **values: Any
) -> RegisteredModel:
    if registered_model.organization_id != organization.pk:
        raise PermissionError("object belongs to another organization")
    values = _clean_values(values)
    if "owner" in values:
        _check_owner(organization, values["owner"])
    before = snapshot(registered_model, AUDIT_FIELDS)
    for name, value in values.items():
        setattr(registered_model, name, value)
    registered_model.updated_at = timezone.now()
    with transaction.atomic():
        registered_model.full_clean()
        registered_model.save()
        changes = diff(before, snapshot(registered_model, AUDIT_FIELDS))
        if changes:
            audit_record(
                organization=organization,
                actor=actor,
                action="registry.model_updated",
                target=registered_model,
                data={"changes": changes},
            )
    return registered_model


def registered_model_delete(*, organization: Any, actor: Any, registered_model: RegisteredModel) -> None:
    if registered_model.organization_id != organization.pk:
        raise PermissionError("object belongs to another organization")
    with transaction.atomic():
        audit_record(
            organization=organization,
            actor=actor,
            action="registry.model_removed",
            target=registered_model,
            data=snapshot(registered_model, AUDIT_FIELDS),
        )
        delete_or_refuse(registered_model)


def _admins(organization: Any) -> list[Any]:
    memberships = Membership.objects.filter(organization=organization, is_admin=True, user__is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__email")]


def registry_notify_catalog_event(*, organization: Any, event: CatalogChangeEvent) -> CatalogChangeNotification | None:
    """Tell the organization's admins about a catalog change to a model it registered. At most once per event.

    Call inside ``org_scope(organization)``. Each admin gets the e-mail in their preferred language.
    """
    registered = (
        RegisteredModel.objects.filter(organization=organization, catalog_entry_id=event.entry_id)
        .select_related("catalog_entry")
        .first()
    )
    if registered is None:
        return None
    with transaction.atomic():
        notification, _created = CatalogChangeNotification.objects.select_for_update().get_or_create(
            organization=organization, event=event, defaults={"registered_model": registered}
        )
        if notification.sent_at is not None:
            return notification
        recipients = _admins(organization)
        base = str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
        url = base + reverse("registry:detail", kwargs={"org_slug": organization.slug, "pk": registered.pk})
        for user in recipients:
            language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                context = {
                    "organization": organization,
                    "registered": registered,
                    "event": event,
                    "entry": event.entry,
                    "kind": event.get_kind_display(),
                    "url": url,
                    "user": user,
                }
                subject = render_to_string("registry/email/catalog_change_subject.txt", context).strip()
                body = render_to_string("registry/email/catalog_change_body.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        notification.recipients = [user.email for user in recipients]
        notification.sent_at = timezone.now()
        notification.save(update_fields=["recipients", "sent_at"])
        audit_record(
            organization=organization,
            actor=None,
            action="registry.catalog_change_notified",
            target=registered,
            data={
                "event": event.pk,
                "kind": event.kind,
                "field": event.field,
                "old": event.old,
                "new": event.new,
                "recipients": notification.recipients,
            },
        )
    return notification
