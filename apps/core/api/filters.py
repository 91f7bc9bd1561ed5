"""Filters shared by the API's filter sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC before it reaches the database.

    Python accepts UTC offsets up to ±23:59 and PostgreSQL only up to ±15:59, so an offset such as
    ``-19:17`` passed on as written makes the query fail; in UTC every representable instant is fine. An
    instant that cannot be expressed in UTC at all (year 1 with a positive offset) is a field error."""

    default_error_messages = {"utc_range": _("Enter a date and time that can be expressed in UTC.")}

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["utc_range"], code="utc_range") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
