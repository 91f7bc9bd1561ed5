from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.core.tenancy import org_scope
from apps.organizations.models import Invitation, Organization


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(*, organization_id: int, invitation_id: int) -> None:
    organization = Organization.objects.get(pk=organization_id)
    with org_scope(organization):
        invitation = Invitation.objects.filter(pk=invitation_id).select_related("invited_by").first()
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return
        lang = getattr(invitation.invited_by, "preferred_language", None) or settings.LANGUAGE_CODE
        with translation.override(lang):
            base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
            context = {
                "organization": organization,
                "invitation": invitation,
                "url": base + reverse("invitation_accept", kwargs={"token": invitation.token}),
            }
            subject = render_to_string("organizations/email/invitation_subject.txt", context).strip()
            body = render_to_string("organizations/email/invitation_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
