from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields (when the form
    has them), everything else as non-field errors."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


__all__ = ["NON_FIELD_ERRORS", "apply_validation_error"]


class BootstrapFormRenderer(TemplatesSetting):
    """Every ``{{ form }}`` renders with Bootstrap markup, labels, help and ARIA-linked errors."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
