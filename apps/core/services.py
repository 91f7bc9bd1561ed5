from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _


def delete_or_refuse(instance: models.Model) -> None:
    """Delete, or raise a ValidationError (→ a form error / API 400) when other records — a frozen
    scorecard, say — still need this one. Nothing is deleted in that case."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        users = sorted({str(obj._meta.verbose_name) for obj in blocking if hasattr(obj, "_meta")})
        raise ValidationError(
            _("This record is still used by: %(users)s. It cannot be deleted.") % {"users": ", ".join(users) or "—"},
            code="in_use",
        ) from exc
