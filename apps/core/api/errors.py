"""One error body for every API failure:

{"error": {"status": 400, "code": "invalid", "message": "…",
           "fields": {"name": [{"code": "required", "message": "…"}]}},
 "request_id": "…"}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    request = context.get("request")
    body: dict[str, Any] = {"status": response.status_code, "code": exc.default_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["message"] = _("The request is not valid; see fields.")
        body["fields"] = _fields(exc.get_full_details())
    else:
        details = exc.get_full_details()
        if isinstance(details, dict) and "code" in details:
            body["code"] = details["code"]
            body["message"] = str(details.get("message", ""))
        else:
            body["message"] = str(exc.detail)
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["retry_after"] = exc.wait  # type: ignore[attr-defined]
    response.data = {"error": body, "request_id": getattr(request, "request_id", "")}
    return response
